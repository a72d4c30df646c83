import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { detectCudaLibraries, detectNvidiaGpu } from './index.js';

// Runs tools/gpu-check/gpu-check.mjs (it imports the built packages: `nx run
// backend-cuda:test` builds them first). Oracles: the script's documented report and exit codes
// (0 works, 2 unavailable, 3 usage) and the independent detectors for what is missing here.
// Timings are printed, never asserted.

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(ROOT, 'tools/gpu-check/gpu-check.mjs');
const FOLDER_VARS = ['IMPLICIT_BIAS_TFJS_NODE', 'IMPLICIT_BIAS_TFJS_NODE_GPU'];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function gpuCheck(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const v of FOLDER_VARS) delete base[v];
  return new Promise((done) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { cwd: ROOT, env: { ...base, ...env }, timeout: 240_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

const SLOW = 300_000; // the script runs in a child process; CI machines are shared

const noStackTrace = (r: Run): void => {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
};

describe('tools/gpu-check', () => {
  it(
    'reports cuda as unavailable here, naming each missing prerequisite (exit 2)',
    async () => {
      const [gpu, libs] = await Promise.all([detectNvidiaGpu(), detectCudaLibraries()]);
      const r = await gpuCheck(['--quick']);
      noStackTrace(r);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe(
        'gpu-check: the cuda backend (@tensorflow/tfjs-node-gpu) on this machine',
      );
      // no tfjs-node-gpu is installed in this repository, so cuda cannot be available
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(
        '  [MISSING] tfjs-node-gpu: @tensorflow/tfjs-node-gpu is not installed',
      );
      expect(r.stdout).toContain(gpu.ok ? '  [ok     ] GPU: ' : `  [MISSING] GPU: ${gpu.reason}`);
      expect(r.stdout).toContain(
        libs.ok ? '  [ok     ] CUDA libraries: ' : `  [MISSING] CUDA libraries: ${libs.reason}`,
      );
      expect(r.stdout).toContain(
        '  cuda: unavailable — @tensorflow/tfjs-node-gpu is not installed',
      );
      expect(r.stdout).toContain('  conformance and benchmark: not run (cuda is unavailable)');
      const missing = [!gpu.ok && 'GPU', !libs.ok && 'CUDA libraries', 'tfjs-node-gpu'].filter(
        Boolean,
      );
      expect(lines.filter((l) => l !== '').at(-1)).toBe(
        `verdict: cuda is unavailable here (missing: ${missing.join(', ')})`,
      );
    },
    SLOW,
  );

  it(
    'says when --package-dir is not a package folder',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ib-gpu-check-'));
      try {
        const r = await gpuCheck(['--quick', '--package-dir', dir]);
        noStackTrace(r);
        expect(r.code).toBe(2);
        expect(r.stdout).toContain(
          `  [MISSING] tfjs-node-gpu: ${dir} (from --package-dir) is not a package folder: no package.json there`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'rejects an unknown --backend with exit 3 and the valid choices',
    async () => {
      const r = await gpuCheck(['--backend', 'webgpu']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("gpu-check: --backend must be cuda or tensorflow, not 'webgpu'");
    },
    SLOW,
  );

  const tfjsNode = process.env['IMPLICIT_BIAS_TFJS_NODE'];
  const withTfjsNode = tfjsNode === undefined || tfjsNode.trim() === '' ? it.skip : it;
  withTfjsNode(
    'runs conformance and the benchmark end to end on tensorflow (IMPLICIT_BIAS_TFJS_NODE)',
    async () => {
      const r = await gpuCheck(['--backend', 'tensorflow', '--quick'], {
        IMPLICIT_BIAS_TFJS_NODE: tfjsNode,
      });
      noStackTrace(r);
      // every case of the suite passed: the passed count equals the total
      expect(r.stdout).toMatch(
        /^ {2}conformance: (\d+)\/\1 cases passed on tensorflow \(float32 tolerances\)$/m,
      );
      for (const n of [128, 256]) {
        expect(r.stdout).toMatch(
          new RegExp(
            `matmul ${n}x${n}: tensorflow [\\d.]+ ms \\([\\d.]+ GFLOP/s\\), cpu [\\d.]+ ms`,
          ),
        );
      }
      expect(r.stdout).toContain('verdict: tensorflow works: every conformance case passed');
      expect(r.code).toBe(0);
    },
    SLOW,
  );
});
