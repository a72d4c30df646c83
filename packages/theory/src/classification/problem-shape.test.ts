import { isImplicitBiasError, matrixFromRows } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { maxMarginL1 } from './max-margin-l1.js';
import { maxMarginL2 } from './max-margin-l2.js';
import { minNormInterpolant, weightedL2Interpolant } from '../regression/interpolants.js';

// Soudry et al. 2018's 2-D example: ℓ2 direction (1,1)/√2, w = (0.5, 0.5) (closed form); with
// S = I the ℓ1 problem on Z = X has the same data, so { X, y } and { Z, y } must agree exactly.
const X = matrixFromRows([
  [0.5, 1.5],
  [1.5, 0.5],
  [-0.5, -1.5],
  [-1.5, -0.5],
]);
const y = new Float64Array([1, 1, -1, -1]);

describe('max-margin problems take { X, y } or { Z, y } alike', () => {
  it('maxMarginL1 on { X, y } equals { Z: X, y }, and the closed form ρ = (0.5, 0.5)', async () => {
    const a = await maxMarginL1({ X, y });
    const b = await maxMarginL1({ Z: X, y });
    expect(Array.from(a.rho)).toEqual(Array.from(b.rho));
    expect(a.rho[0]).toBeCloseTo(0.5, 12);
    expect(a.rho[1]).toBeCloseTo(0.5, 12);
    expect(a.status).toBe('converged');
  });

  it('maxMarginL2 on { Z, y } equals { X, y }', async () => {
    const a = await maxMarginL2({ X, y });
    const b = await maxMarginL2({ Z: X, y });
    expect(Array.from(a.beta)).toEqual(Array.from(b.beta));
    expect(a.status).toBe('converged');
  });

  it('both X and Z, or neither, is a clear INVALID_CONFIG', async () => {
    const both = { X, Z: X, y } as unknown as { X: HostMatrix; y: Float64Array };
    await expect(maxMarginL1(both)).rejects.toThrow(/give the data as X or as Z, not both/);
    const none = { y } as unknown as { X: HostMatrix; y: Float64Array };
    const err = await maxMarginL2(none).catch((e: unknown) => e);
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect(String(err)).toMatch(/pass \{ X, y \} \(input space\) or \{ Z, y \}/);
  });

  it('a non-separable problem names the field it was given', async () => {
    const bad = matrixFromRows([
      [1, 0],
      [1, 0],
    ]);
    const err = await maxMarginL1({ X: bad, y: new Float64Array([1, -1]) }).catch(
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'NOT_SEPARABLE')).toBe(true);
    expect(String(err)).toMatch(/\bX\b/);
  });
});

describe('every prediction reports how its solve ended (status)', () => {
  it('closed-form interpolants are converged, with a residual at rounding level', () => {
    const A = matrixFromRows([
      [1, 2, 0],
      [0, 1, 1],
    ]);
    const t = new Float64Array([1, -0.5]);
    const p = minNormInterpolant(A, t);
    expect(p.status).toBe('converged');
    expect(p.certificate['interpolationResidual']).toBeLessThan(1e-14);
    const w = weightedL2Interpolant({ A, y: t, weights: new Float64Array([1, 2, 3]) });
    expect(w.status).toBe('converged');
  });
});
