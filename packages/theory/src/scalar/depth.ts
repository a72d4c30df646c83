import { ImplicitBiasError } from '@implicit-bias/core';

/**
 * Validate a network depth `L`: an integer ≥ 1. Throws `INVALID_CONFIG` naming `field` otherwise.
 * @internal
 */
export function assertDepth(L: number, field = 'L'): void {
  if (!Number.isInteger(L) || L < 1) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `the depth must be an integer >= 1, got ${String(L)}`,
      { path: field },
    );
  }
}
