/**
 * Matrix chains: the end-to-end vector `β = W_0·W_1·…·c` of a chain of matrices packed in one
 * parameter row, and the contractions of a vector `u` with each factor (the fully-connected
 * linear network's β and layer gradients), as the host access offers them to fused network
 * evaluations ({@link CpuHostAccess.chain}).
 * @module
 */
import type { WasmArena } from './wasm-arena.js';

/** A chain's evaluation of one parameter row at a time: `contract` follows `beta` on the same row. */
export interface ChainEvaluator {
  /** β of the row `theta[offset ..]` into `beta` (length w_0). */
  beta(theta: Float64Array, offset: number, beta: Float64Array): void;
  /** The contractions with `u` (length w_0) of the last `beta`'s row, packed as the row, into `out[outOffset ..]`. */
  contract(u: Float64Array, out: Float64Array, outOffset: number): void;
}

/**
 * The evaluator of the chain with widths `w_0 .. w_{L−1}`: factor l < L − 1 is the w_l × w_{l+1}
 * matrix W_l (row-major), the last the vector c of length w_{L−1}, packed in this order.
 * `b_{L−1} = c`, `b_l = W_l·b_{l+1}`, β = b_0; factor l < L − 1 gets `a_l·b_{l+1}ᵀ` and the last
 * `a_{L−1}`, with `a_0 = u`, `a_{l+1} = W_lᵀ·a_l`.
 */
export type Chain = (widths: readonly number[]) => ChainEvaluator;

/** The exports of the kernel module that chains use (assembly/chain.ts). */
export interface ChainExports {
  chainBeta(theta: number, widths: number, L: number, bs: number): void;
  chainContract(
    theta: number,
    widths: number,
    L: number,
    bs: number,
    u: number,
    out: number,
    as: number,
  ): void;
}

const EMPTY = new Float64Array(0);
const align = (bytes: number): number => (bytes + 15) & ~15;

/** Sizes of a chain: its parameters, the b_l kept (l < L − 1) and the a_l (l ≥ 1). */
function sizes(w: readonly number[]): { P: number; sumB: number; sumA: number } {
  let P = w[w.length - 1]!;
  let sumB = 0;
  let sumA = 0;
  for (let l = 0; l < w.length - 1; l++) {
    P += w[l]! * w[l + 1]!;
    sumB += w[l]!;
    sumA += w[l + 1]!;
  }
  return { P, sumB: Math.max(sumB, w[0]!), sumA };
}

/**
 * Chains on the WebAssembly kernels: `beta` copies the row into linear memory and computes the
 * b_l there (keeping them on the JavaScript side for `contract`), `contract` copies the row
 * again (the products between the two calls reuse the scratch memory) and writes every
 * factor's contraction in one call. The matrix–vector products are the kernels' (`gemmNT`,
 * `gemmNN` of one row, four-accumulator sums); when linear memory cannot grow, `fallback`.
 */
export function wasmChain(x: ChainExports, arena: WasmArena, fallback: Chain): Chain {
  return (widths) => {
    const w = Array.from(widths);
    const L = w.length;
    const { P, sumB, sumA } = sizes(w);
    const d = w[0]!;
    // scratch layout (bytes): widths | row | b_l | u | a_l | out
    const oW = 0;
    const oRow = align(8 * L);
    const oB = oRow + align(8 * P);
    const oU = oB + align(8 * sumB);
    const oA = oU + align(8 * d);
    const oOut = oA + align(8 * Math.max(sumA, 1));
    const bytes = oOut + align(8 * P);
    const bs = new Float64Array(sumB);
    const widthsF = Float64Array.from(w);
    let theta: Float64Array = EMPTY;
    let off = 0;
    let slow: ChainEvaluator | undefined;
    let onKernels = true; // where the last beta ran
    const place = (): number | undefined => {
      if (!arena.scratch(bytes)) return undefined;
      const ps = arena.ps;
      const v = arena.view();
      v.set(widthsF, (ps + oW) / 8);
      v.set(theta.subarray(off, off + P), (ps + oRow) / 8);
      return ps;
    };
    return {
      beta(t, o, beta) {
        theta = t;
        off = o;
        const ps = place();
        onKernels = ps !== undefined;
        if (ps === undefined) {
          slow ??= fallback(w);
          slow.beta(t, o, beta);
          return;
        }
        x.chainBeta(ps + oRow, ps + oW, L, ps + oB);
        arena.readInto(ps + oB, bs, sumB);
        for (let j = 0; j < d; j++) beta[j] = bs[j]!;
      },
      contract(u, out, oo) {
        const ps = onKernels ? place() : undefined;
        if (ps === undefined) {
          slow ??= fallback(w);
          // memory could not grow since beta: the fallback needs its own beta of the row
          if (onKernels) slow.beta(theta, off, new Float64Array(d));
          slow.contract(u, out, oo);
          return;
        }
        arena.writeAt(bs, sumB, ps + oB);
        arena.writeAt(u, d, ps + oU);
        x.chainContract(ps + oRow, ps + oW, L, ps + oB, ps + oU, ps + oOut, ps + oA);
        out.set(arena.view().subarray((ps + oOut) / 8, (ps + oOut) / 8 + P), oo);
      },
    };
  };
}

/** Chains in plain JavaScript loops (the fallback, and what runtimes without the kernels use). */
export const jsChain: Chain = (widths) => {
  const w = Array.from(widths);
  const L = w.length;
  const offsets = [0];
  for (let l = 0; l < L - 1; l++) offsets.push(offsets[l]! + w[l]! * w[l + 1]!);
  const b = w.map((wl) => new Float64Array(wl)); // b_l (b_{L−1} = c copied)
  const a = w.map((wl) => new Float64Array(wl));
  let theta: Float64Array = EMPTY;
  let off = 0;
  return {
    beta(t, o, beta) {
      theta = t;
      off = o;
      const last = b[L - 1]!;
      for (let j = 0; j < last.length; j++) last[j] = t[o + offsets[L - 1]! + j]!;
      for (let l = L - 2; l >= 0; l--) {
        const rows = w[l]!;
        const cols = w[l + 1]!;
        const base = o + offsets[l]!;
        const next = b[l + 1]!;
        const bl = b[l]!;
        for (let i = 0; i < rows; i++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s += t[base + i * cols + j]! * next[j]!;
          bl[i] = s;
        }
      }
      beta.set(b[0]!);
    },
    contract(u, out, oo) {
      const t = theta;
      let al: Float64Array = u;
      for (let l = 0; l < L - 1; l++) {
        const rows = w[l]!;
        const cols = w[l + 1]!;
        const base = off + offsets[l]!;
        const ob = oo + offsets[l]!;
        const bn = b[l + 1]!;
        const an = a[l + 1]!;
        an.fill(0);
        for (let i = 0; i < rows; i++) {
          const ai = al[i]!;
          for (let j = 0; j < cols; j++) {
            out[ob + i * cols + j] = ai * bn[j]!;
            an[j] = an[j]! + ai * t[base + i * cols + j]!;
          }
        }
        al = an;
      }
      for (let j = 0; j < w[L - 1]!; j++) out[oo + offsets[L - 1]! + j] = al[j]!;
    },
  };
};
