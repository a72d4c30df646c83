import { ImplicitBiasError, Rng, dot, key, norm2, split } from '@implicit-bias/core';
import type { Key } from '@implicit-bias/core';
import { checkInt, checkNonNegative, checkSeed, describe } from './checks.js';
import type { Dataset } from './dataset.js';
import { portableCosSinTurns, portableNormal, portableNormals } from './portable-math.js';
import { sampleSupport, unit } from './sampling.js';

/** Kind of planted separator of {@link separableClassification}. */
export type SeparatorKind = 'dense' | 'sparse' | 'fourier-sparse';

/** Options of {@link separableClassification}. */
export interface SeparableClassificationOptions {
  /** Number of samples. */
  readonly n: number;
  /** Number of features. */
  readonly d: number;
  /** Integer seed in [0, 2^32 − 1]. */
  readonly seed: number;
  /** Structure of the planted unit separator w. */
  readonly separator: SeparatorKind;
  /** Sparsity: non-zero entries (`'sparse'`) or DFT frequencies (`'fourier-sparse'`). */
  readonly k?: number;
  /** Required lower bound on the normalized margin min_i y_i⟨w, x_i⟩/‖w‖ (≥ 0). */
  readonly margin: number;
  /**
   * How samples closer than `margin` to the hyperplane are handled: `'push'` (default) moves
   * them along w to distance exactly `margin` (so the bound is attained); `'reject'` redraws
   * them (fails with INVALID_CONFIG when fewer than 1 in 1000 draws would pass).
   */
  readonly marginMode?: 'push' | 'reject';
}

/**
 * Linearly separable binary classification with a planted unit separator w:
 * x ~ N(0, I_d), y = sign⟨w, x⟩, and min_i y_i⟨w, x_i⟩/‖w‖ ≥ `margin` as computed in float64.
 * Separators: `'dense'` (N(0, I) direction), `'sparse'` (N(0, 1) entries on k random
 * coordinates), `'fourier-sparse'` (w = Re Σ_{j∈S} c_j f_j for k random frequencies
 * S ⊂ {0, …, ⌊d/2⌋} with complex N(0, 1) coefficients c_j and DFT basis vectors
 * f_j[t] = e^{2πi jt/d}, so the DFT of w is supported on S ∪ (−S mod d)). w has ‖w‖₂ = 1.
 */
export function separableClassification(options: SeparableClassificationOptions): Dataset {
  const n = checkInt(options.n, 'n');
  const d = checkInt(options.d, 'd');
  const seed = checkSeed(options.seed);
  const margin = checkNonNegative(options.margin, 'margin');
  const mode = options.marginMode ?? 'push';
  if (mode !== 'push' && mode !== 'reject') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be 'push' or 'reject', got ${describe(mode)}`,
      { path: 'marginMode' },
    );
  }
  const [kW, kX] = split(key(seed), 2) as [Key, Key];
  const planted = plantSeparator(options.separator, d, options.k, new Rng(kW));
  const w = planted.w;
  const nw = norm2(w);
  const rx = new Rng(kX);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const maxDraws = 1000 * n;
  let draws = 0;
  for (let i = 0; i < n; i++) {
    let x = portableNormals(rx, d);
    let t = dot(w, x) / nw;
    if (mode === 'reject') {
      while (Math.abs(t) < margin || t === 0) {
        if (++draws > maxDraws) {
          throw new ImplicitBiasError(
            'INVALID_CONFIG',
            `margin ${margin} rejects almost every Gaussian sample (over ${maxDraws} draws ` +
              `for ${n} samples); lower it or use marginMode: 'push'`,
            { path: 'margin' },
          );
        }
        x = portableNormals(rx, d);
        t = dot(w, x) / nw;
      }
    }
    const s = t > 0 ? 1 : t < 0 ? -1 : rx.sign();
    if (s * t < margin) x = pushOut(x, w, nw, s, margin);
    X.set(x, i * d);
    y[i] = s;
  }
  return {
    task: 'classification',
    X: { rows: n, cols: d, data: X },
    y,
    meta: {
      name: 'separable-classification',
      n,
      d,
      seed,
      planted: {
        beta: w,
        margin,
        ...(planted.support !== undefined ? { support: planted.support } : {}),
        ...(planted.frequencies !== undefined ? { frequencies: planted.frequencies } : {}),
      },
      description:
        `x ~ N(0, I_${d}), y = sign⟨w, x⟩ for a planted ${options.separator} unit separator w ` +
        `(k = ${planted.k}); normalized margin ≥ ${margin} (${mode}); n = ${n}.`,
    },
  };
}

// Move x along w so that s⟨w, x⟩/‖w‖ = margin, then nudge outward until the float64
// check s⟨w, x⟩/‖w‖ ≥ margin holds exactly as a caller would compute it.
function pushOut(x: Float64Array, w: Float64Array, nw: number, s: number, margin: number) {
  const t = dot(w, x) / nw;
  const shift = (s * margin - t) / nw;
  const out = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) out[j] = x[j]! + shift * w[j]!;
  let eps = Math.max(margin, 1) * 2 ** -50;
  while (s * (dot(w, out) / nw) < margin) {
    for (let j = 0; j < x.length; j++) out[j] = out[j]! + (s * eps * w[j]!) / nw;
    eps *= 2;
  }
  return out;
}

interface PlantedSeparator {
  readonly w: Float64Array;
  readonly k: number;
  readonly support?: number[];
  readonly frequencies?: number[];
}

function plantSeparator(
  kind: SeparatorKind,
  d: number,
  kIn: number | undefined,
  r: Rng,
): PlantedSeparator {
  if (kind === 'dense') {
    return { w: unit(portableNormals(r, d), 'planted separator'), k: d };
  }
  if (kind === 'sparse') {
    const k = checkInt(kIn, 'k');
    if (k > d) {
      throw new ImplicitBiasError('INVALID_CONFIG', `must satisfy k ≤ d = ${d}, got ${k}`, {
        path: 'k',
      });
    }
    const support = sampleSupport(r, d, k);
    const raw = new Float64Array(d);
    for (const j of support) raw[j] = portableNormal(r);
    return { w: unit(raw, 'planted separator'), k, support };
  }
  if (kind === 'fourier-sparse') {
    const k = checkInt(kIn, 'k');
    const half = Math.floor(d / 2);
    if (k > half + 1) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `must satisfy k ≤ ⌊d/2⌋ + 1 = ${half + 1} distinct real-signal frequencies, got ${k}`,
        { path: 'k' },
      );
    }
    const frequencies = sampleSupport(r, half + 1, k);
    const raw = new Float64Array(d);
    for (const f of frequencies) {
      const a = portableNormal(r);
      const b = portableNormal(r);
      for (let t = 0; t < d; t++) {
        const [c, s] = portableCosSinTurns(f * t, d);
        raw[t] = raw[t]! + a * c - b * s;
      }
    }
    return { w: unit(raw, 'planted separator'), k, frequencies };
  }
  throw new ImplicitBiasError(
    'INVALID_CONFIG',
    `must be 'dense', 'sparse' or 'fourier-sparse', got ${describe(kind)}`,
    { path: 'separator' },
  );
}
