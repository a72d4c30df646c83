import type { Arr, Backend } from '@implicit-bias/backend';

/** Training losses: `squared` for regression, `exponential` and `logistic` for ±1 labels. */
export type LossName = 'squared' | 'exponential' | 'logistic';

/** True for the losses that need labels ±1. */
export function isClassificationLoss(loss: LossName): boolean {
  return loss !== 'squared';
}

/** Per-run loss quantities computed on the backend (docs/theory/tensor-formulation.md). */
export interface LossTerms {
  /**
   * `[B, n]`: `r_i = −∂ℓ/∂f_i` (physical time), or `r_i = −∂ℓ/∂f_i / 𝓛` when `normalized`
   * (then `M(Xᵀr)·(v_{−l}) = −∇_{v_l} log 𝓛`).
   */
  readonly r: Arr;
  /** `[B]`: `log 𝓛`, exact far beyond the range of `exp` for classification losses. */
  readonly logLoss: Arr;
  /** `[B]`: `𝓛 = Σ_i ℓ(f_i, y_i)` (underflows to 0 at large margins; use `logLoss`). */
  readonly loss: Arr;
  /** `[B]`: the margin `min_i y_i f_i` (classification) or `min_i −|f_i − y_i|` (squared). */
  readonly margin: Arr;
}

// Below this, log(log(1 + e^z)) = z to double precision (the correction is below e^z/2 < 1e-16).
const LOGISTIC_TAIL = -37;

/**
 * Loss, log-loss, margins and the residual `r` for outputs `f` (`[B, n]`) and labels `y` (`[n]`).
 *
 * Classification losses work with `z_i = −y_i f_i`: `log ℓ_i` is `z_i` (exponential) or
 * `log softplus(z_i)` (logistic, continued as `z_i + log softplus(−37) + 37` below −37 so it never
 * underflows), `log 𝓛 = logSumExp_i log ℓ_i`, and `log(−∂ℓ/∂m_i)` is `z_i` or `−softplus(−z_i)`.
 * Normalized residuals `exp(log(−∂ℓ/∂m_i) − log 𝓛)` therefore stay exact at any margin.
 */
export function lossTerms(
  be: Backend,
  loss: LossName,
  f: Arr,
  y: Arr,
  normalized: boolean,
): LossTerms {
  if (loss === 'squared') {
    const res = be.sub(y, f);
    const l = be.scale(be.sum(be.square(res), 1), 0.5);
    const logLoss = be.log(l);
    const r = normalized ? be.div(res, be.reshape(l, [l.shape[0]!, 1])) : res;
    return { r, logLoss, loss: l, margin: be.neg(be.max(be.abs(res), 1)) };
  }
  const m = be.mul(y, f);
  const z = be.neg(m);
  let logEll: Arr;
  let logDeriv: Arr;
  if (loss === 'exponential') {
    logEll = z;
    logDeriv = z;
  } else {
    const zc = be.maximum(z, be.fill([1], LOGISTIC_TAIL));
    logEll = be.add(be.log(be.softplus(zc)), be.sub(z, zc));
    logDeriv = be.neg(be.softplus(m));
  }
  const logLoss = be.logSumExp(logEll, 1);
  const shift = normalized
    ? be.sub(logDeriv, be.reshape(logLoss, [logLoss.shape[0]!, 1]))
    : logDeriv;
  const r = be.mul(y, be.exp(shift));
  return { r, logLoss, loss: be.exp(logLoss), margin: be.min(m, 1) };
}
