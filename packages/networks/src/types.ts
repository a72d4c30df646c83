import type { Arr, Backend } from '@implicit-bias/backend';
import type { HostMatrix, HostTensor } from '@implicit-bias/core';
import type { GroupSpec } from './group.js';

/**
 * A plain-data description of a linear tensor network (docs/theory/tensor-formulation.md). Layers are numbered
 * `l = 1..L` in the math and `0..L−1` in arrays (`params[l − 1]`).
 *
 * - `fully-connected`: widths `d_1 = inputDim, d_2..d_L = hidden`, so `L = hidden.length + 1`;
 *   `f(x) = xᵀ W_1 W_2 ⋯ W_{L−1} w_L` with `W_l ∈ R^{d_l×d_{l+1}}` stored as its row-major vec
 *   (`v_l[a·d_{l+1} + b] = W_l[a, b]`, `k_l = d_l·d_{l+1}`) and `w_L ∈ R^{d_L}`.
 * - `diagonal`: `f(x) = Σ_j x_j Π_l v_{l,j}`, every `k_l = dim`.
 * - `convolutional`: `f(x) = ((x ⋆ v_1) ⋆ v_2 ⋯ ⋆ v_{L−1})ᵀ v_L` with circular cross-correlation
 *   `(a ⋆ b)_i = Σ_{j<k} a_{(i+j) mod d} b_j`; filters `k_1..k_{L−1} ≤ dim`, last layer `k_L = dim`.
 * - `group`: a linear G-CNN over a finite group, `M(x)[g_1..g_L] = x(g_1⋯g_L)`, every `k_l = |G|`
 *   (docs/theory/group-equivariant.md).
 * - `tensor`: `d` user data tensors `M_j` of shape `[k_1..k_L]`, `M(x) = Σ_j x_j M_j`.
 */
export type NetworkSpec =
  | {
      /** Fully-connected network. */
      readonly kind: 'fully-connected';
      /** Input dimension `d = d_1`. */
      readonly inputDim: number;
      /** Widths `d_2..d_L` of the later layers (so depth `L = hidden.length + 1`). */
      readonly hidden: readonly number[];
    }
  | {
      /** Diagonal network. */
      readonly kind: 'diagonal';
      /** Input dimension d, also the size of every layer. */
      readonly dim: number;
      /** Number of layers L ≥ 1. */
      readonly depth: number;
    }
  | {
      /** Circular convolutional network. */
      readonly kind: 'convolutional';
      /** Input dimension d, also the size of the last layer. */
      readonly dim: number;
      /** Number of layers L ≥ 1. */
      readonly depth: number;
      /** Filter lengths `k_1..k_{L−1}`, each in `1..dim` (`dim` for all: the odeco case). */
      readonly filters: readonly number[];
    }
  | {
      /** Linear group-equivariant CNN over a finite group. */
      readonly kind: 'group';
      /** The group (cyclic, dihedral, or a multiplication table). */
      readonly group: GroupSpec;
      /** Number of layers L ≥ 1. */
      readonly depth: number;
    }
  | {
      /** A network given by its data tensors. */
      readonly kind: 'tensor';
      /** `M_0..M_{d−1}`, one per input coordinate, all of shape `[k_1..k_L]`, row-major. */
      readonly dataTensors: readonly HostTensor[];
    };

/**
 * A dense row-major complex matrix with separate real and imaginary parts (those of an odeco
 * decomposition are formed when first read, after a memory check).
 */
export interface ComplexMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Real parts, `re[i * cols + j]` is entry (i, j). */
  readonly re: Float64Array;
  /** Imaginary parts, same layout as `re`. */
  readonly im: Float64Array;
}

/**
 * A real matrix of an odeco decomposition. `identity: true` marks an identity (diagonal
 * networks, the `U_l` of superdiagonal tensors, `S` of L = 1 models): use it implicitly
 * (`Uᵀv = v`, `Sx = x`). Its dense `data` is formed only when read, after a memory check, so a
 * network of large d never allocates d² entries unless a caller reads them.
 */
export interface OdecoMatrix extends HostMatrix {
  /** True when the matrix is the identity. */
  readonly identity?: boolean;
}

/**
 * An orthogonal decomposition of the data tensor (docs/theory/odeco.md):
 * `M(x) = Σ_{j<m} [S x]_j · (U_1[:,j] ⊗ … ⊗ U_L[:,j])` with `S` of size `m×d` and `U_l` of size
 * `k_l×m` with orthonormal (unitary in the complex case) columns. Then, with plain transposes,
 * `ρ = (U_1ᵀv_1) ⊙ … ⊙ (U_Lᵀv_L)`, `f(x) = (Sx)ᵀρ` and `β = Sᵀρ`.
 */
export type OdecoDecomposition =
  | {
      /** Real decomposition (diagonal networks, L = 1 models, superdiagonal user tensors). */
      readonly complex: false;
      /** Number of terms m (the length of ρ). */
      readonly m: number;
      /** The input transform S, `m×d`. */
      readonly S: OdecoMatrix;
      /** `U_1..U_L`, each `k_l×m` with orthonormal columns. */
      readonly U: readonly OdecoMatrix[];
    }
  | {
      /** Complex decomposition (full-filter circular convolutions: S ∝ DFT). */
      readonly complex: true;
      /** Number of terms m (the length of ρ). */
      readonly m: number;
      /** The input transform S, `m×d`, complex. */
      readonly S: ComplexMatrix;
      /** `U_1..U_L`, each `k_l×m` with orthonormal (unitary) columns. */
      readonly U: readonly ComplexMatrix[];
    };

/** Why a network has no (recognised) odeco decomposition. */
export interface NotOdeco {
  /** A sentence naming the reason. */
  readonly notOdeco: string;
}

/**
 * A linear tensor network: a record of pure functions over a plain-data spec.
 *
 * Backend methods take `params[l]` of shape `[B, k_l]` (B runs advance together) and use only
 * backend ops; host methods run one parameter set in float64 and serve as oracles.
 */
export interface LinearTensorNetwork {
  /** The validated spec this network was built from. */
  readonly spec: NetworkSpec;
  /** Input dimension `d`. */
  readonly inputDim: number;
  /** Number of layers `L`. */
  readonly depth: number;
  /** Parameter sizes `k_1..k_L`. */
  readonly paramSizes: readonly number[];
  /**
   * Outputs `f(x_i)` of every run: `params[l]` of shape `[B, k_l]`, `X` of shape `[n, d]` (shared)
   * or `[B, n, d]` (one data set per run); returns `[B, n]`.
   */
  forward(be: Backend, params: readonly Arr[], X: Arr): Arr;
  /**
   * `M(Xᵀr)·(v_{−l})` for every layer l, each `[B, k_l]`; `r` is `[B, n]`. With
   * `r_i = −∂ℓ/∂f(x_i)` this is `−∇_{v_l} 𝓛` (docs/theory/tensor-formulation.md).
   */
  gradient(be: Backend, params: readonly Arr[], X: Arr, r: Arr): Arr[];
  /** End-to-end vectors `β` of every run, `[B, d]`. */
  endToEnd(be: Backend, params: readonly Arr[]): Arr;
  /** End-to-end vector `β` of one parameter set, float64 on the host. */
  endToEndHost(params: readonly Float64Array[]): Float64Array;
  /** The dense data tensor `M(x)` of shape `[k_1..k_L]` (small sizes only). */
  dataTensor(x: Float64Array): HostTensor;
  /**
   * `M(u)·(v_{−open})` (length `k_open`), or with `open = −1` the full contraction
   * `M(u)·(v_1..v_L)` (length 1). Host float64, computed structurally (no dense tensor).
   */
  contractHost(u: Float64Array, params: readonly Float64Array[], open: number): Float64Array;
  /** The network's odeco decomposition, or why there is none. */
  odeco(): OdecoDecomposition | NotOdeco;
  /**
   * Fused host evaluation (diagonal, fully-connected, convolutional and user tensor networks;
   * absent otherwise): given host matrix–vector products (a float64 backend's kernels, writing into
   * caller-owned outputs), returns an evaluator with its own preallocated workspace that works on one
   * packed parameter row `theta[offset ..]` (layers one after another, sizes `paramSizes`).
   * `beta` writes β (length `inputDim`); `contract` then writes `M(u)·(v_{−l})` of every layer,
   * packed the same way, into `out[outOffset ..]` for the row of the preceding `beta` call, which
   * must not change in between. Inputs are not validated (callers pass sizes from
   * `paramSizes`); nothing of size n, d or k_l is allocated per call.
   */
  fused?(products: {
    /** `y = A·x` for A m×n row-major into `y` (length m). */
    gemv(a: Float64Array, x: Float64Array, m: number, n: number, y: Float64Array): void;
    /** `g = Aᵀ·y` for A m×n row-major into `g` (length n). */
    gemvT(a: Float64Array, y: Float64Array, m: number, n: number, g: Float64Array): void;
    /**
     * The complex DFT of length n, in place on separate real and imaginary parts (`inverse`
     * also divides by n), when the backend has one (convolutional networks use it; without
     * it they use direct sums).
     */
    dft?(n: number): {
      run(re: Float64Array, im: Float64Array, inverse: boolean): void;
    };
    /**
     * The real-input DFT of length n, when the backend has one (convolutional networks then
     * keep half spectra, about half the work of `dft`): `bins = ⌊n/2⌋ + 1`;
     * `forward(x, re, im)` writes `X_k = Σ_j x_j e^{−2πijk/n}`, `k < bins`, of the real
     * `x[0..n)`; `inverse(re, im, x)` writes the real signal of the Hermitian spectrum given by
     * those bins (imaginary parts of bins 0 and n/2 read as 0), divided by n. Neither modifies
     * its inputs.
     */
    rdft?(n: number): {
      readonly bins: number;
      forward(x: Float64Array, re: Float64Array, im: Float64Array): void;
      inverse(re: Float64Array, im: Float64Array, x: Float64Array): void;
    };
    /**
     * A matrix chain's evaluator, when the backend runs chains in its own kernels
     * (fully-connected networks use it): widths `w_0 .. w_{L−1}`, factor l < L − 1 the
     * w_l × w_{l+1} matrix W_l and the last the vector c, packed in the row in this order;
     * `beta` writes `W_0·…·c`, `contract(u, …)` gives factor l < L − 1 the outer product
     * `a_l·b_{l+1}ᵀ` (`a_0 = u`, `a_{l+1} = W_lᵀ a_l`, `b_l = W_l·…·c`) and the last `a_{L−1}`.
     */
    chain?(widths: readonly number[]): {
      beta(theta: Float64Array, offset: number, beta: Float64Array): void;
      contract(u: Float64Array, out: Float64Array, outOffset: number): void;
    };
    /**
     * A workspace of `slots` half spectra of length-n real signals kept by the backend (the
     * cpu backend's WebAssembly kernels hold them in their memory, so that only real signals
     * are copied), when it has one; convolutional networks then prefer it to `rdft`. Slots are
     * numbered `0 .. slots − 1` and keep their contents between calls; `forward(x, o, len, s)`
     * writes into slot s the half spectrum of `x[o .. o + len)` zero-padded to n; `mul(a, b, c)`
     * and `mulConj(a, b, c)` write slot a times slot b (or its conjugate) bin by bin into slot
     * c (which may be a or b), rounding as `a_r·b_r − a_i·b_i`, `a_r·b_i + a_i·b_r` (conjugate:
     * `a_r·b_r + a_i·b_i`, `a_i·b_r − a_r·b_i`); `inverse(s, out, o, len)` writes the first
     * `len` entries of the real signal of slot s (as `rdft.inverse`) into `out[o ..]` and
     * overwrites slot s. Undefined when the backend cannot offer one for n.
     */
    realSpectra?(
      n: number,
      slots: number,
    ):
      | {
          forward(x: Float64Array, o: number, len: number, s: number): void;
          mul(a: number, b: number, c: number): void;
          mulConj(a: number, b: number, c: number): void;
          inverse(s: number, out: Float64Array, o: number, len: number): void;
        }
      | undefined;
  }): {
    /** β of the row `theta[offset ..]` into `beta`. */
    beta(theta: Float64Array, offset: number, beta: Float64Array): void;
    /** The per-layer contractions with `u` (length `inputDim`) into `out[outOffset ..]`. */
    contract(u: Float64Array, out: Float64Array, outOffset: number): void;
    /**
     * True when `beta` of a row with any non-finite parameter is itself non-finite somewhere
     * (every parameter enters every sum and product it is part of, and `0·∞` is NaN), so a
     * caller may test the `inputDim` entries of β instead of the whole row before using it.
     */
    readonly nonFiniteBeta?: boolean;
  };
}
