import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The committed module (src/wasm-bytes.generated.ts) must be what the pinned AssemblyScript
// compiles assembly/kernels.ts to, so that reviewing the source reviews the shipped bytes.
it('the embedded WebAssembly equals a fresh compile of assembly/kernels.ts', () => {
  const r = spawnSync(process.execPath, [join(__dirname, '../scripts/build-wasm.mjs'), '--check'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
});
