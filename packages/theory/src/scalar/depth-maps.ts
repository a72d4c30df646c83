import { assertDepth } from './depth.js';
import { hL, hLPrime } from './h-l.js';
import { CL, phiLInverse, phiLPrime } from './phi-l.js';

/**
 * The scalar maps of the reduced flow applied to whole vectors at one depth `L`, the depth
 * dispatch and checks done once per vector instead of once per entry. Depths 1–4 have closed
 * forms written out (`h_3(t) = t(1+t²)`, `Φ_3^{−1} = tan`, …); other depths call
 * {@link hL}, {@link phiLInverse}, {@link hLPrime}, {@link phiLPrime} per entry. The closed forms
 * agree with those generic formulas to a few ulps (they skip `Math.pow(Math.hypot(…))`) and keep
 * their overflow behaviour: `±Infinity` where the true value overflows, `NaN` for `NaN`.
 * @internal
 */
export interface DepthMaps {
  /**
   * `T[j] ← Φ_L^{−1}(κ_j·T[j])` where `|κ_j·T[j]| < C_L` (the domain), else `NaN`, for j < m.
   */
  phiInverseScaled(kappa: Float64Array, T: Float64Array, m: number): void;
  /** `out[j] = c[j]·h_L(T[j])` for j < m. */
  hScaled(c: Float64Array, T: Float64Array, out: Float64Array, m: number): void;
  /** `out[j] = f[j]·(h_L'(T[j]) / Φ_L'(T[j]))` for j < m (the weights of the reduced Jacobian). */
  slopeScaled(f: Float64Array, T: Float64Array, out: Float64Array, m: number): void;
}

function generic(L: number): DepthMaps {
  const cap = CL(L);
  return {
    phiInverseScaled(kappa, T, m) {
      for (let j = 0; j < m; j++) {
        const arg = kappa[j]! * T[j]!;
        T[j] = Math.abs(arg) < cap ? phiLInverse(L, arg) : Number.NaN;
      }
    },
    hScaled(c, T, out, m) {
      for (let j = 0; j < m; j++) out[j] = c[j]! * hL(L, T[j]!);
    },
    slopeScaled(f, T, out, m) {
      for (let j = 0; j < m; j++) {
        const t = T[j]!;
        out[j] = f[j]! * (hLPrime(L, t) / phiLPrime(L, t));
      }
    },
  };
}

// h_L'/Φ_L' = (1+t²)^{L−2}·(1+L·t²): for L = 1 that is 1/(1+t²)·(1+t²) = 1, for L = 2 (1+2t²).
// Each closed form's products grow with every factor once |t| ≥ 1, so an intermediate overflows
// only where the whole value does (then ±Infinity, as the generic formulas give).

const DEPTH1: DepthMaps = {
  phiInverseScaled(kappa, T, m) {
    for (let j = 0; j < m; j++) {
      const s = kappa[j]! * T[j]!;
      T[j] = Math.abs(s) < Infinity ? s : Number.NaN; // C_1 = ∞: every finite s
    }
  },
  hScaled(c, T, out, m) {
    for (let j = 0; j < m; j++) out[j] = c[j]! * T[j]!;
  },
  slopeScaled(f, T, out, m) {
    // h_1' = Φ_1' = 1 (NaN stays NaN)
    for (let j = 0; j < m; j++) out[j] = f[j]! * (T[j]! - T[j]! + 1);
  },
};

const DEPTH2: DepthMaps = {
  phiInverseScaled(kappa, T, m) {
    for (let j = 0; j < m; j++) {
      const s = kappa[j]! * T[j]!;
      T[j] = Math.abs(s) < Infinity ? Math.sinh(s) : Number.NaN; // C_2 = ∞
    }
  },
  hScaled(c, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t = T[j]!;
      out[j] = c[j]! * (t * Math.hypot(1, t));
    }
  },
  slopeScaled(f, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t2 = T[j]! * T[j]!;
      out[j] = f[j]! * (1 + 2 * t2);
    }
  },
};

const DEPTH3: DepthMaps = {
  phiInverseScaled(kappa, T, m) {
    const cap = Math.PI / 2;
    for (let j = 0; j < m; j++) {
      const arg = kappa[j]! * T[j]!;
      T[j] = Math.abs(arg) < cap ? Math.tan(arg) : Number.NaN;
    }
  },
  hScaled(c, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t = T[j]!;
      out[j] = c[j]! * (t * (1 + t * t));
    }
  },
  slopeScaled(f, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t2 = T[j]! * T[j]!;
      out[j] = f[j]! * ((1 + t2) * (1 + 3 * t2));
    }
  },
};

const DEPTH4: DepthMaps = {
  phiInverseScaled(kappa, T, m) {
    for (let j = 0; j < m; j++) {
      const s = kappa[j]! * T[j]!;
      T[j] = Math.abs(s) < 1 ? s / Math.sqrt((1 - s) * (1 + s)) : Number.NaN; // C_4 = 1
    }
  },
  hScaled(c, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t = T[j]!;
      const q = 1 + t * t;
      out[j] = c[j]! * (t * q * Math.sqrt(q));
    }
  },
  slopeScaled(f, T, out, m) {
    for (let j = 0; j < m; j++) {
      const t2 = T[j]! * T[j]!;
      const q = 1 + t2;
      out[j] = f[j]! * (q * q * (1 + 4 * t2));
    }
  },
};

/** The maps of depth `L` (an integer ≥ 1; throws `INVALID_CONFIG` otherwise). @internal */
export function depthMaps(L: number): DepthMaps {
  assertDepth(L);
  switch (L) {
    case 1:
      return DEPTH1;
    case 2:
      return DEPTH2;
    case 3:
      return DEPTH3;
    case 4:
      return DEPTH4;
    default:
      return generic(L);
  }
}
