import type { Arr, Backend } from '@implicit-bias/backend';
import type { ComplexMatrix, LinearTensorNetwork, NotOdeco, OdecoDecomposition } from './types.js';
import { finiteGroup } from './group.js';
import type { FiniteGroup, GroupSpec } from './group.js';
import { irreps as irrepsOf } from './group-irreps.js';
import type { Irrep } from './group-irreps.js';
import { groupFourier } from './group-fourier.js';
import { assemble } from './assemble.js';
import { fullConvolutionOdeco, identity, superdiagonalOdeco } from './odeco-builders.js';
import { checkNetworkMemory } from './limits.js';
import { checkHostParams } from './validate.js';
import { checkInt } from './validate.js';

/** The irreducible blocks of a group network's parameters and end-to-end predictor. */
export interface GroupBlocks {
  /** `layers[l][ρ] = v̂_{l+1}(ρ)`, one d_ρ×d_ρ block per irrep. */
  readonly layers: readonly ComplexMatrix[][];
  /** `β̂(ρ) = v̂_1(ρ) v̂_2(ρ) ⋯ v̂_L(ρ)`, the transform of `β = v_1 ∗ ⋯ ∗ v_L`. */
  readonly beta: readonly ComplexMatrix[];
}

/** A group-equivariant linear network with its group, irreps and irreducible blocks. */
export interface GroupNetwork extends LinearTensorNetwork {
  /** The validated group. */
  readonly group: FiniteGroup;
  /** The irreducible unitary representations (computed on first use, then cached). */
  irreps(): readonly Irrep[];
  /** The Fourier blocks of every layer and of β (host float64). */
  blocks(params: readonly Float64Array[]): GroupBlocks;
}

/** Three index tables for the group products on the backend (row g, column h). */
function tables(G: FiniteGroup): { conv: number[]; right: number[]; left: number[] } {
  const n = G.order;
  const conv = new Array<number>(n * n);
  const right = new Array<number>(n * n);
  const left = new Array<number>(n * n);
  for (let g = 0; g < n; g++)
    for (let h = 0; h < n; h++) {
      conv[g * n + h] = G.mul[G.inverse[h]! * n + g]!; // h⁻¹g
      right[g * n + h] = G.mul[g * n + h]!; // gh
      left[g * n + h] = G.mul[h * n + g]!; // hg
    }
  return { conv, right, left };
}

/** `out[b, g] = Σ_h f[b, idx[g, h]] c[b, h]` with backend ops (gather, batched matmul). */
function mixed(be: Backend, f: Arr, idx: readonly number[], c: Arr, n: number): Arr {
  const B = f.shape[0]!;
  const F = be.reshape(be.gather(f, idx, 1), [B, n, n]);
  return be.reshape(be.matmul(F, be.reshape(c, [B, n, 1])), [B, n]);
}

/** The same product on the host. */
function mixedHost(
  f: Float64Array,
  idx: readonly number[],
  c: Float64Array,
  n: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    let s = 0;
    for (let h = 0; h < n; h++) s += f[idx[g * n + h]!]! * c[h]!;
    out[g] = s;
  }
  return out;
}

/**
 * A linear group-equivariant CNN over a finite group G (Lawrence et al. 2022; docs/theory/group-equivariant.md):
 * `f(x) = ((x ⋆ v_1) ⋆ v_2 ⋯ ⋆ v_{L−1})ᵀ v_L` with the group cross-correlation
 * `(a ⋆ b)(g) = Σ_h a(hg) b(h)` (equivariant to right translations), full filters `k_l = |G|`,
 * data tensor `M(x)[g_1..g_L] = x(g_1 g_2 ⋯ g_L)` and `β = v_1 ∗ ⋯ ∗ v_L` with the group
 * convolution `(a ∗ b)(g) = Σ_{hk=g} a(h) b(k)`, so `β̂(ρ) = v̂_1(ρ) ⋯ v̂_L(ρ)` block by block.
 * For `C_n` this is the full-filter `convolutional` network.
 *
 * @param o.group the group: `{ kind: 'cyclic' | 'dihedral', n }` or `{ kind: 'table', table }`
 * @param o.depth number of layers L ≥ 1
 * @param o.memoryBudget bytes a training run may use (default: `memoryBudget()`)
 */
export function groupNetwork(o: {
  group: GroupSpec;
  depth: number;
  memoryBudget?: number;
}): GroupNetwork {
  const L = checkInt(o.depth, 1, 'depth');
  const G = finiteGroup(o.group, 'group');
  const n = G.order;
  checkNetworkMemory({
    what: `a group network over a group of order ${n} with depth ${L}`,
    parameters: L * n,
    depth: L,
    largest: { size: n, path: 'group' },
    depthPath: 'depth',
    // three index tables and one gathered [B, n, n] per product (B = 1 counted)
    extraBytes: 8 * 4 * n * n,
    ...(o.memoryBudget !== undefined ? { budget: o.memoryBudget } : {}),
  });
  const idx = tables(G);
  const sizes = new Array<number>(L).fill(n);
  const delta = new Float64Array(n);
  delta[G.identity] = 1;
  let reps: Irrep[] | undefined;
  const irreps = (): Irrep[] => (reps ??= irrepsOf(G));

  const betaHost = (params: readonly Float64Array[]): Float64Array => {
    let beta: Float64Array = Float64Array.from(params[0]!);
    for (let l = 1; l < L; l++) beta = mixedHost(params[l]!, idx.conv, beta, n);
    return beta;
  };
  function contract(u: Float64Array, params: readonly Float64Array[], open: number): Float64Array {
    if (open < 0) {
      const beta = betaHost(params);
      return Float64Array.of(beta.reduce((s, b, g) => s + b * u[g]!, 0));
    }
    let a: Float64Array = delta;
    for (let l = 0; l < open; l++) a = mixedHost(params[l]!, idx.conv, a, n);
    let c: Float64Array = delta;
    for (let l = L - 1; l > open; l--) c = mixedHost(c, idx.conv, params[l]!, n);
    const w = open === L - 1 ? Float64Array.from(u) : mixedHost(u, idx.right, c, n);
    return open === 0 ? w : mixedHost(w, idx.left, a, n);
  }

  const net = assemble({
    spec: { kind: 'group', group: G.spec, depth: L },
    budget: o.memoryBudget,
    inputDim: n,
    paramSizes: sizes,
    beta(be, params) {
      let beta = params[0]!;
      for (let l = 1; l < L; l++) beta = mixed(be, params[l]!, idx.conv, beta, n);
      return L === 1 ? be.reshape(beta, beta.shape) : beta;
    },
    grad(be, params, u) {
      if (L === 1) return [u];
      // suffix[l] = v_{l+1} ∗ ⋯ ∗ v_L (l < L−1), prefix a = v_1 ∗ ⋯ ∗ v_l
      const suffix: Arr[] = new Array<Arr>(L);
      suffix[L - 2] = params[L - 1]!;
      for (let l = L - 3; l >= 0; l--)
        suffix[l] = mixed(be, suffix[l + 1]!, idx.conv, params[l + 1]!, n);
      const out: Arr[] = [];
      let a = params[0]!;
      for (let l = 0; l < L; l++) {
        const w = l < L - 1 ? mixed(be, u, idx.right, suffix[l]!, n) : u;
        out.push(l === 0 ? w : mixed(be, w, idx.left, a, n));
        if (l > 0 && l < L - 1) a = mixed(be, params[l]!, idx.conv, a, n);
      }
      return out;
    },
    betaHost,
    contract,
    dense(x) {
      const total = Math.pow(n, L);
      const data = new Float64Array(total);
      const digits = new Array<number>(L).fill(0);
      for (let flat = 0; flat < total; flat++) {
        let g = digits[0]!;
        for (let l = 1; l < L; l++) g = G.mul[g * n + digits[l]!]!;
        data[flat] = x[g]!;
        for (let l = L - 1; l >= 0; l--) {
          digits[l]! += 1;
          if (digits[l]! < n) break;
          digits[l] = 0;
        }
      }
      return { shape: [...sizes], data };
    },
    odeco(): OdecoDecomposition | NotOdeco {
      if (L === 1)
        return superdiagonalOdeco(identity(n, 'odeco().S', o.memoryBudget), 1, o.memoryBudget);
      if (G.spec.kind === 'cyclic') return fullConvolutionOdeco(n, L, o.memoryBudget);
      if (G.abelian) return abelianOdeco(G, irreps(), L);
      return {
        notOdeco: `a non-abelian group (order ${n}) has irreducible blocks of dimension > 1: the data tensor is block-diagonal in the group Fourier basis, not odeco (see blocks(), docs/theory/group-equivariant.md)`,
      };
    },
  });
  return {
    ...net,
    group: G,
    irreps,
    blocks(params) {
      checkHostParams(params, sizes);
      const R = irreps();
      const layers = params.map((p) => groupFourier(G, R, p));
      const beta = R.map((_, k) =>
        layers.map((blocks) => blocks[k]!).reduce((A, B) => complexProduct(A, B)),
      );
      return { layers, beta };
    },
  };
}

/** `A B` for complex square matrices. */
function complexProduct(A: ComplexMatrix, B: ComplexMatrix): ComplexMatrix {
  const d = A.rows;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const ar = A.re[i * d + k]!;
      const ai = A.im[i * d + k]!;
      for (let j = 0; j < d; j++) {
        re[i * d + j]! += ar * B.re[k * d + j]! - ai * B.im[k * d + j]!;
        im[i * d + j]! += ar * B.im[k * d + j]! + ai * B.re[k * d + j]!;
      }
    }
  return { rows: d, cols: d, re, im };
}

/**
 * Abelian groups: characters χ give `M(x) = Σ_χ [Sx]_χ ⊗_l U[:, χ]` with `U[g, χ] = χ(g)/√n` and
 * `S[χ, g] = n^{(L−1)/2} conj χ(g)/√n` (as for C_n: `Σ_χ χ(s⁻¹ g_1⋯g_L) = n δ`).
 */
function abelianOdeco(G: FiniteGroup, reps: readonly Irrep[], L: number): OdecoDecomposition {
  const n = G.order;
  const c = 1 / Math.sqrt(n);
  const s = Math.pow(n, (L - 1) / 2) * c;
  const S = { rows: n, cols: n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
  const U = { rows: n, cols: n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
  reps.forEach((r, k) => {
    for (let g = 0; g < n; g++) {
      S.re[k * n + g] = s * r.re[g]!;
      S.im[k * n + g] = -s * r.im[g]!;
      U.re[g * n + k] = c * r.re[g]!;
      U.im[g * n + k] = c * r.im[g]!;
    }
  });
  return { complex: true, m: n, S, U: new Array<ComplexMatrix>(L).fill(U) };
}
