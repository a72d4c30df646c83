#!/usr/bin/env node
// Sum the per-project jest results in .reports/jest/*.json and print the CI line
// `tests: N passed, N failed` (skipped tests are listed above it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = process.argv[2] ? resolve(process.argv[2]) : join(root, '.reports/jest');
let passed = 0;
let failed = 0;
let skipped = 0;
const extraFailed = Number(process.env.EXTRA_FAILED ?? 0);
if (existsSync(dir)) {
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    console.log(
      `  ${r.project.padEnd(16)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped`,
    );
  }
}
failed += extraFailed;
if (skipped) console.log(`  (${skipped} skipped: backends or tools not available here)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
