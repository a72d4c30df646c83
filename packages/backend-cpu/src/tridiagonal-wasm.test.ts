import { cpuDenseLu } from './lu-wasm.js';
import type { CpuSymmetricTridiagonal } from './lu-wasm.js';
import { random } from './random.test.helpers.js';
import { kernelModule } from './wasm-module.js';

// Oracle: the defining identities of the Householder reduction A = Q·T·Qᵀ (T tridiagonal, Q
// orthogonal), entry by entry to O(n·u·‖A‖) (the reduction is backward stable: Golub & Van Loan,
// Matrix Computations, §8.3.1); and for the products, the same sums written out in JavaScript.
// flow's JavaScript reduction, which this equals to rounding, is compared in
// @implicit-bias/experiments (host-lu.test.ts).

const wasm = typeof kernelModule() !== 'string';
const describeWasm = wasm ? describe : describe.skip;

/** A symmetric n×n matrix from the lower triangle of random entries (indefinite). */
function symmetric(n: number, seed: number): Float64Array {
  const r = random(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r[i * n + j]! + (i === j ? i : 0);
  return a;
}

function residuals(t: CpuSymmetricTridiagonal, a: Float64Array): { rec: number; orth: number } {
  const { n, d, e, q } = t;
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        // (T·Qᵀ)[k][j]
        let tk = d[k]! * q[j * n + k]!;
        if (k > 0) tk += e[k - 1]! * q[j * n + k - 1]!;
        if (k + 1 < n) tk += e[k]! * q[j * n + k + 1]!;
        s += q[i * n + k]! * tk;
        o += q[k * n + i]! * q[k * n + j]!;
      }
      rec = Math.max(rec, Math.abs(s - a[i * n + j]!));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  return { rec, orth };
}

describeWasm('cpuDenseLu().tridiagonal (assembly/tridiagonal.ts)', () => {
  const lu = cpuDenseLu('wasm')!;
  it.each([1, 2, 3, 5, 16, 33, 100])('n = %i: Q·T·Qᵀ = A and QᵀQ = I to O(n·u·‖A‖)', (n) => {
    const a = symmetric(n, 40 + n);
    const t = lu.tridiagonal(a, n)!;
    expect(t.ok).toBe(true);
    expect(t.d.length).toBe(n);
    expect(t.e.length).toBe(Math.max(0, n - 1));
    let norm = 0;
    for (const v of a) norm = Math.max(norm, Math.abs(v));
    const { rec, orth } = residuals(t, a);
    expect(rec).toBeLessThanOrEqual(8 * n * 2 ** -52 * norm);
    expect(orth).toBeLessThanOrEqual(8 * n * 2 ** -52);
  });

  it('reads the lower triangle only, does not modify its input and flags non-finite entries', () => {
    const n = 9;
    const a = symmetric(n, 3);
    const upperless = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upperless[i * n + j] = 7;
    const copy = Float64Array.from(upperless);
    const t1 = lu.tridiagonal(a, n)!;
    const t2 = lu.tridiagonal(upperless, n)!;
    expect(Array.from(t2.q)).toEqual(Array.from(t1.q));
    expect(Array.from(upperless)).toEqual(Array.from(copy));
    a[3 * n + 1] = Infinity;
    expect(lu.tridiagonal(a, n)!.ok).toBe(false);
  });

  it('multiply gives Q·v and Qᵀ·v for several vectors, as the plain sums', () => {
    const n = 37;
    const q = random(n * n, 5);
    const count = 3;
    const v = random(count * n, 6);
    for (const transpose of [false, true]) {
      const out = new Float64Array(count * n);
      expect(lu.multiply(q, n, v, count, transpose, out)).toBe(true);
      // twice more: Q becomes resident in linear memory, the result must not change
      const again = new Float64Array(count * n);
      lu.multiply(q, n, v, count, transpose, again);
      lu.multiply(q, n, v, count, transpose, again);
      expect(Array.from(again)).toEqual(Array.from(out));
      for (let c = 0; c < count; c++)
        for (let i = 0; i < n; i++) {
          let s = 0;
          let bound = 0;
          for (let j = 0; j < n; j++) {
            const x = (transpose ? q[j * n + i]! : q[i * n + j]!) * v[c * n + j]!;
            s += x;
            bound += Math.abs(x);
          }
          expect(Math.abs(out[c * n + i]! - s)).toBeLessThanOrEqual(2 * n * 2 ** -53 * bound);
        }
    }
  });

  it('multiply sees new vectors in a reused output and refuses sizes that do not fit', () => {
    const n = 8;
    const q = random(n * n, 9);
    const out = new Float64Array(n);
    lu.multiply(q, n, random(n, 1), 1, false, out);
    const first = Float64Array.from(out);
    lu.multiply(q, n, random(n, 2), 1, false, out);
    expect(Array.from(out)).not.toEqual(Array.from(first));
    expect(() => lu.multiply(q, n + 1, random(n, 1), 1, false, out)).toThrow(RangeError);
  });
});
