#!/usr/bin/env node
// Type-checks the ```ts examples of every package README under the strictest settings a user may
// have (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, NodeNext), against the
// built packages, so that no README example fails in a user's strict project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'node_modules', '.cache', 'readme-examples');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const readme = join(root, 'packages', pkg, 'README.md');
  if (!existsSync(readme)) continue;
  const blocks = [...readFileSync(readme, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)];
  blocks.forEach((m, i) => {
    const name = `${pkg}-${i + 1}.ts`;
    // `export {}` keeps each example its own module (top-level await, no global clashes)
    writeFileSync(join(out, name), `${m[1]}\nexport {};\n`);
    files.push({ name, where: `packages/${pkg}/README.md, example ${i + 1}` });
  });
}
writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module', private: true }));
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node', 'jest'],
    },
    files: files.map((f) => f.name),
  }),
);
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', out], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (e) {
  const text = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  const named = text.replace(/^(?:\S*\/)?([\w-]+?-\d+)\.ts\((\d+),(\d+)\)/gm, (_, base, line) => {
    const f = files.find((x) => x.name === `${base}.ts`);
    return `${f ? f.where : base}, line ${line}`;
  });
  console.error(`check-readme-examples: a README example does not type-check strictly:\n${named}`);
  process.exit(1);
}
console.log(
  `check-readme-examples: ${files.length} README examples type-check under strict settings`,
);
