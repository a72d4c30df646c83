import { cpuDenseLu } from '@implicit-bias/backend-cpu';
import type { CpuDenseLu } from '@implicit-bias/backend-cpu';
import { key, normal, relativeDistance, split } from '@implicit-bias/core';
import { complexShiftFactor, integrate, luFactor, symmetricTridiagonal } from '@implicit-bias/flow';
import type { DenseLu } from '@implicit-bias/flow';
import { diagonal } from '@implicit-bias/networks';
import { reducedFlowField } from '@implicit-bias/theory';
import { cpuHostKernels, cpuHostLu } from './host-kernels.js';
import { solveReducedFlow } from './reduced-flow-solve.js';

// The cpu backend's WebAssembly LU against flow's JavaScript one, the oracle it claims to equal
// bit for bit (same pivots, same roundings). Where WebAssembly SIMD cannot run there is nothing
// to compare (cpuHostLu is undefined and flow factors in JavaScript).
const wasm = cpuDenseLu('auto');
const describeWasm = wasm !== undefined ? describe : describe.skip;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** The first index where `a` and `b` differ as `Object.is` sees it (NaN, ±0), else −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Random matrices of order n, including the hard cases: singular, non-finite, zero columns. */
function matrices(n: number, seed: number): Float64Array[] {
  const r = rng(seed);
  const plain = Float64Array.from({ length: n * n }, r);
  const graded = plain.map((v, i) => v * 10 ** ((i % n) - n / 2));
  const rankOne = Float64Array.from(
    { length: n * n },
    (_, i) => (1 + (i % n)) * (1 + ((i / n) | 0)),
  );
  const zeroCol = plain.map((v, i) => (i % n === n >> 1 ? 0 : v));
  const nan = plain.slice();
  nan[(n * n) >> 1] = NaN;
  const inf = plain.slice();
  inf[n * n - 1] = -Infinity;
  const sparse = plain.map((v, i) => (i % 3 === 0 ? v : 0));
  return [plain, graded, rankOne, zeroCol, nan, inf, sparse];
}

describeWasm('cpuDenseLu equals flow’s JavaScript LU bit for bit (oracle: flow lu.ts)', () => {
  const lu = wasm as CpuDenseLu;
  it.each([1, 2, 3, 8, 17, 64, 100])('real, n = %i', (n) => {
    for (const a of matrices(n, n)) {
      const want = luFactor(a, n);
      const got = lu.real(a, n)!;
      expect(got.ok).toBe(want.ok);
      expect(firstDifference(got.pivots, want.pivots)).toBe(-1);
      expect(firstDifference(got.lu, want.lu)).toBe(-1);
    }
  });
  it.each([1, 2, 3, 8, 17, 64, 100])('complex shift (α + iβ)/h·I − J, n = %i', (n) => {
    for (const j of matrices(n, 50 + n)) {
      for (const [sr, si] of [
        [2.68, 3.05],
        [0, 1e-3],
        [0, 0],
        [1e8, -1e8],
      ] as const) {
        const want = complexShiftFactor(j, n, sr, si);
        const got = lu.complexShift(j, n, sr, si)!;
        expect(got.ok).toBe(want.ok);
        expect(firstDifference(got.pivots, want.pivots)).toBe(-1);
        expect(firstDifference(got.re, want.re)).toBe(-1);
        expect(firstDifference(got.im, want.im)).toBe(-1);
      }
    }
  });
});

describeWasm(
  'cpuDenseLu().tridiagonal equals flow’s JavaScript reduction to rounding (oracle: flow radau5-symmetric.ts)',
  () => {
    it.each([2, 7, 50, 101])('n = %i: T and Q within 1e-12 of ‖A‖', (n) => {
      const r = rng(100 + n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r() + (i === j ? 0.1 * i : 0);
      const w = wasm!.tridiagonal(a, n)!;
      const js = symmetricTridiagonal(a, n);
      let norm = 0;
      for (const v of a) norm = Math.max(norm, Math.abs(v));
      // the same reflections in the same order: only the summation order of dot products differs
      const close = (x: Float64Array, y: Float64Array, scale: number): void => {
        for (let i = 0; i < x.length; i++)
          expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(1e-12 * scale);
      };
      close(w.d, js.d, norm);
      close(w.e, js.e, norm);
      close(w.q, js.q, 1);
    });
  },
);

describe('radau5 with the injected LU (oracle: the same integration with flow’s JavaScript LU)', () => {
  // reduced odeco regression flow, n = 6 samples in d = 20 (a stiff field with an exact Jacobian)
  const [kx, ky] = split(key(7), 2);
  const xs = normal(kx!, 6 * 20);
  const X = Array.from({ length: 6 }, (_, i) => Array.from(xs.subarray(i * 20, (i + 1) * 20)));
  const y = Array.from(normal(ky!, 6));
  const problem = { network: diagonal({ dim: 20, depth: 3 }), X, y, alpha: 0.05 };

  it.each(['radau5', 'rodas4'] as const)('%s: the same states within the tolerance', (method) => {
    const calls = { real: 0, complex: 0, tridiagonal: 0 };
    const lu = cpuHostLu();
    // a counting provider: the JS factorizations where WebAssembly cannot run
    const counted: DenseLu = {
      real: (a, n) => (calls.real++, lu?.real(a, n) ?? luFactor(a, n)),
      complexShift: (j, n, sr, si) => (
        calls.complex++,
        lu?.complexShift(j, n, sr, si) ?? complexShiftFactor(j, n, sr, si)
      ),
      tridiagonal: (a, n) => (
        calls.tridiagonal++,
        lu?.tridiagonal?.(a, n) ?? symmetricTridiagonal(a, n)
      ),
      ...(lu?.multiply !== undefined ? { multiply: lu.multiply.bind(lu) } : {}),
    };
    const run = (with_: DenseLu | undefined): Float64Array => {
      const field = reducedFlowField(problem, { kernels: cpuHostKernels() });
      const res = integrate(field, [new Float64Array(field.dim)], {
        method,
        tEnd: 1e3,
        rtol: 1e-8,
        atol: 1e-12,
        ...(with_ !== undefined ? { lu: with_ } : {}),
      });
      expect(res.status[0]).toBe('ok');
      return res.y[0]!;
    };
    const js = run(undefined);
    const injected = run(counted);
    // the reduced field's Jacobian is symmetric: radau5 reduces it to tridiagonal form instead
    // of the dense real + complex LU; rodas4 factors densely
    if (method === 'radau5') {
      expect(calls.tridiagonal).toBeGreaterThan(0);
      expect(calls.real + calls.complex).toBe(0);
    } else expect(calls.real).toBeGreaterThan(0);
    expect(relativeDistance(injected, js)).toBeLessThan(1e-8);
  });

  it('radau5: the symmetric path gives the states of the dense split (a field without the flag)', () => {
    const field = reducedFlowField(problem, { kernels: cpuHostKernels() });
    expect(field.symmetricJacobian).toBe(true);
    const opts = { method: 'radau5' as const, tEnd: 1e3, rtol: 1e-8, atol: 1e-12 };
    const lu = cpuHostLu();
    const sym = integrate(field, [new Float64Array(field.dim)], {
      ...opts,
      ...(lu !== undefined ? { lu } : {}),
    });
    const dense = integrate(
      { ...field, symmetricJacobian: false },
      [new Float64Array(field.dim)],
      opts,
    );
    expect(sym.status[0]).toBe('ok');
    expect(relativeDistance(sym.y[0]!, dense.y[0]!)).toBeLessThan(1e-7);
  });

  it('a provider that declines (undefined) leaves the factorizations to flow', () => {
    const field = reducedFlowField(problem, { kernels: cpuHostKernels() });
    const decline: DenseLu = { real: () => undefined, complexShift: () => undefined };
    const opts = { method: 'radau5' as const, tEnd: 10, rtol: 1e-8, atol: 1e-12 };
    const a = integrate(field, [new Float64Array(field.dim)], { ...opts, lu: decline });
    const b = integrate(field, [new Float64Array(field.dim)], opts);
    expect(a.y[0]).toEqual(b.y[0]);
  });

  it('solveReducedFlow: the same points with the cpu LU as with kernels js (within 1e-8)', () => {
    const times = [1, 10, 100];
    const opts = { times, method: 'radau5' as const, rtol: 1e-10, atol: 1e-14 };
    const host = solveReducedFlow(problem, opts);
    const js = solveReducedFlow(problem, { ...opts, kernels: 'js' });
    host.points.forEach((p, i) =>
      expect(relativeDistance(p.beta, js.points[i]!.beta)).toBeLessThan(1e-8),
    );
  });
});
