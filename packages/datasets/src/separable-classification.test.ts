import { ImplicitBiasError, dot, norm2 } from '@implicit-bias/core';
import type { Dataset } from './dataset.js';
import { separableClassification } from './separable-classification.js';
import type { SeparableClassificationOptions } from './separable-classification.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

// the quantity the brief asks for: min_i y_i⟨w, x_i⟩/‖w‖ against the planted w
function minMargin(ds: Dataset): number {
  const w = ds.meta.planted!.beta!;
  const d = ds.X.cols;
  let m = Infinity;
  for (let i = 0; i < ds.X.rows; i++) {
    const x = ds.X.data.subarray(i * d, (i + 1) * d);
    m = Math.min(m, (ds.y[i]! * dot(w, x)) / norm2(w));
  }
  return m;
}

const cases: SeparableClassificationOptions[] = [
  { n: 40, d: 10, seed: 1, separator: 'dense', margin: 0.5 },
  { n: 40, d: 10, seed: 2, separator: 'sparse', k: 2, margin: 1 },
  { n: 40, d: 16, seed: 3, separator: 'fourier-sparse', k: 3, margin: 0.25 },
  { n: 30, d: 7, seed: 4, separator: 'fourier-sparse', k: 4, margin: 2 },
  { n: 30, d: 8, seed: 5, separator: 'dense', margin: 0.3, marginMode: 'reject' },
  { n: 30, d: 8, seed: 6, separator: 'sparse', k: 3, margin: 0, marginMode: 'push' },
  { n: 25, d: 50, seed: 7, separator: 'dense', margin: 3 },
];

describe('separableClassification', () => {
  it.each(cases)('has min normalized margin ≥ requested: %p', (opts) => {
    const ds = separableClassification(opts);
    expect(ds.task).toBe('classification');
    expect(ds.X.rows).toBe(opts.n);
    expect(ds.X.cols).toBe(opts.d);
    for (const v of ds.y) expect(Math.abs(v)).toBe(1);
    expect(minMargin(ds)).toBeGreaterThanOrEqual(opts.margin);
    expect(ds.meta.planted!.margin).toBe(opts.margin);
    expect(Math.abs(norm2(ds.meta.planted!.beta!) - 1)).toBeLessThan(1e-15);
  });

  it('attains the requested margin when pushing (within a few ulps)', () => {
    // oracle: a point pushed out lies at distance exactly `margin` up to rounding
    const ds = separableClassification({ n: 50, d: 5, seed: 9, separator: 'dense', margin: 1 });
    expect(minMargin(ds) - 1).toBeLessThan(1e-14);
  });

  it('labels by the sign of ⟨w, x⟩', () => {
    const ds = separableClassification({ n: 30, d: 6, seed: 11, separator: 'dense', margin: 0 });
    const w = ds.meta.planted!.beta!;
    for (let i = 0; i < 30; i++) {
      const t = dot(w, ds.X.data.subarray(i * 6, i * 6 + 6));
      if (t !== 0) expect(Math.sign(t)).toBe(ds.y[i]);
    }
    const pos = Array.from(ds.y).filter((v) => v > 0).length;
    expect(pos).toBeGreaterThan(0);
    expect(pos).toBeLessThan(30);
  });

  it('gives byte-identical data for the same seed and different data for another', () => {
    const o = { n: 20, d: 12, separator: 'fourier-sparse', k: 2, margin: 0.5 } as const;
    const a = separableClassification({ ...o, seed: 3 });
    const b = separableClassification({ ...o, seed: 3 });
    const c = separableClassification({ ...o, seed: 4 });
    expect(bytes(a.X.data).equals(bytes(b.X.data))).toBe(true);
    expect(bytes(a.y).equals(bytes(b.y))).toBe(true);
    expect(bytes(a.X.data).equals(bytes(c.X.data))).toBe(false);
  });

  it('plants a k-sparse separator', () => {
    const ds = separableClassification({
      n: 5,
      d: 30,
      seed: 1,
      separator: 'sparse',
      k: 4,
      margin: 0,
    });
    const w = ds.meta.planted!.beta!;
    const nz = Array.from(w.keys()).filter((j) => w[j] !== 0);
    expect(nz).toEqual(ds.meta.planted!.support);
    expect(nz).toHaveLength(4);
  });

  it('plants a separator whose DFT is supported on S ∪ (−S mod d)', () => {
    // oracle: a naive DFT with Math.cos/Math.sin, independent of the generator's arithmetic
    const d = 20;
    const ds = separableClassification({
      n: 3,
      d,
      seed: 8,
      separator: 'fourier-sparse',
      k: 3,
      margin: 0,
    });
    const w = ds.meta.planted!.beta!;
    const freqs = ds.meta.planted!.frequencies!;
    expect(freqs).toHaveLength(3);
    const allowed = new Set(freqs.flatMap((f) => [f, (d - f) % d]));
    for (let j = 0; j < d; j++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < d; t++) {
        re += w[t]! * Math.cos((2 * Math.PI * j * t) / d);
        im -= w[t]! * Math.sin((2 * Math.PI * j * t) / d);
      }
      const mag = Math.hypot(re, im);
      if (allowed.has(j)) expect(mag).toBeGreaterThan(1e-6);
      else expect(mag).toBeLessThan(1e-12);
    }
  });

  it('fails clearly when rejection cannot reach the margin', () => {
    expect(() =>
      separableClassification({
        n: 5,
        d: 4,
        seed: 1,
        separator: 'dense',
        margin: 10,
        marginMode: 'reject',
      }),
    ).toThrow(/margin.*marginMode: 'push'/);
  });

  it.each([
    [{ n: 5, d: 4, seed: 1, separator: 'dense', margin: -1 }, 'margin'],
    [{ n: 5, d: 4, seed: 1, separator: 'sparse', margin: 0 }, 'k'],
    [{ n: 5, d: 4, seed: 1, separator: 'sparse', k: 5, margin: 0 }, 'k'],
    [{ n: 5, d: 4, seed: 1, separator: 'fourier-sparse', k: 4, margin: 0 }, 'k'],
    [{ n: 5, d: 4, seed: 1, separator: 'blah', margin: 0 }, 'separator'],
    [{ n: 5, d: 4, seed: 1, separator: 'dense', margin: 0, marginMode: 'x' }, 'marginMode'],
  ])('rejects bad options %p naming %s', (opts, path) => {
    let err: unknown;
    try {
      separableClassification(opts as unknown as SeparableClassificationOptions);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImplicitBiasError);
    expect(err).toMatchObject({ code: 'INVALID_CONFIG', path });
    expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
  });
});
