import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import { gaussianRegression } from './gaussian-regression.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

// FNV-1a over the bytes of X then y: pins the generator's output so any change in the
// stream (or a platform that computes it differently) is caught. Oracle: value recorded
// from this implementation (regression pin; it uses only correctly-rounded arithmetic).
function fnv1a(...arrays: Float64Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) for (const b of bytes(a)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('gaussianRegression', () => {
  it('gives byte-identical data for the same seed', () => {
    const a = gaussianRegression({ n: 10, d: 30, seed: 5, sparsity: 3, noise: 0.1 });
    const b = gaussianRegression({ n: 10, d: 30, seed: 5, sparsity: 3, noise: 0.1 });
    expect(bytes(a.X.data).equals(bytes(b.X.data))).toBe(true);
    expect(bytes(a.y).equals(bytes(b.y))).toBe(true);
    expect(bytes(a.meta.planted!.beta!).equals(bytes(b.meta.planted!.beta!))).toBe(true);
  });

  it('matches the recorded bytes for seed 42 (cross-platform pin)', () => {
    const a = gaussianRegression({ n: 4, d: 6, seed: 42, sparsity: 2, noise: 0.5 });
    expect(fnv1a(a.X.data, a.y)).toBe(PIN);
  });

  it('differs between seeds', () => {
    const a = gaussianRegression({ n: 10, d: 30, seed: 5 });
    const b = gaussianRegression({ n: 10, d: 30, seed: 6 });
    expect(bytes(a.X.data).equals(bytes(b.X.data))).toBe(false);
    expect(bytes(a.meta.planted!.beta!).equals(bytes(b.meta.planted!.beta!))).toBe(false);
  });

  it('plants a unit k-sparse β with y = Xβ exactly when noise is 0', () => {
    // oracle: recomputing Xβ row by row and ‖β‖₂ = 1 by construction
    const ds = gaussianRegression({ n: 8, d: 20, seed: 1, sparsity: 4 });
    const beta = ds.meta.planted!.beta!;
    expect(Math.abs(norm2(beta) - 1)).toBeLessThan(1e-15);
    expect(Array.from(beta).filter((v) => v !== 0)).toHaveLength(4);
    expect(ds.meta.planted!.support).toEqual(Array.from(beta.keys()).filter((j) => beta[j] !== 0));
    for (let i = 0; i < 8; i++) {
      let s = 0;
      for (let j = 0; j < 20; j++) s += ds.X.data[i * 20 + j]! * beta[j]!;
      expect(ds.y[i]).toBe(s);
    }
    expect(ds.meta).toMatchObject({ n: 8, d: 20, seed: 1 });
    expect(ds.task).toBe('regression');
  });

  it('keeps X and β when only the noise changes', () => {
    const a = gaussianRegression({ n: 8, d: 20, seed: 1 });
    const b = gaussianRegression({ n: 8, d: 20, seed: 1, noise: 0.3 });
    expect(bytes(a.X.data).equals(bytes(b.X.data))).toBe(true);
    expect(bytes(a.y).equals(bytes(b.y))).toBe(false);
  });

  it.each([
    [{ n: 0, d: 3, seed: 1 }, 'n'],
    [{ n: 2, d: 2.5, seed: 1 }, 'd'],
    [{ n: 2, d: 3, seed: -1 }, 'seed'],
    [{ n: 2, d: 3, seed: 1, sparsity: 4 }, 'sparsity'],
    [{ n: 2, d: 3, seed: 1, noise: Number.NaN }, 'noise'],
  ])('rejects bad options %p naming %s', (opts, path) => {
    expect(() => gaussianRegression(opts)).toThrow(ImplicitBiasError);
    try {
      gaussianRegression(opts);
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_CONFIG', path });
      expect((e as Error).message).toContain(`${path}:`);
    }
  });
});

const PIN = 'dac9a6a7';
