import { ImplicitBiasError } from '@implicit-bias/core';
import { checkVector } from '../linalg/validate.js';

/** Validated `c_j = α|η_j|`. @internal */
export function qScales(
  m: number,
  alpha: number,
  eta: ArrayLike<number> | undefined,
): Float64Array {
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `alpha must be a finite number > 0, got ${String(alpha)}`,
      {
        path: 'alpha',
      },
    );
  }
  if (eta !== undefined) checkVector(eta, m, 'eta');
  const c = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const e = eta === undefined ? 1 : Math.abs(eta[j]!);
    if (e === 0) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `eta[${j}] is 0; every entry of eta must be non-zero`,
        {
          path: 'eta',
        },
      );
    }
    c[j] = alpha * e;
  }
  return c;
}
