import { jsChain, wasmChain } from './chain.js';
import type { Chain, ChainExports } from './chain.js';
import { loadWasmKernels } from './kernels-wasm.js';
import { random } from './random.test.helpers.js';
import type { WasmArena } from './wasm-arena.js';

// Oracles: (1) integer entries, where every product and partial sum is an integer far below
// 2^53 and so exact in any order: the kernels, the JavaScript loops and a direct evaluation
// (explicit matrix products written here) agree exactly; (2) random entries, within the
// forward error bound of the chain's nested sums (each entry within γ_K·(the same chain of
// absolute values), K = Σ widths), twice that between two implementations.

const u = 2 ** -53;
const gamma = (k: number): number => (k * u) / (1 - k * u);

const kernels = loadWasmKernels(0);
if (typeof kernels === 'string')
  throw new Error(`WebAssembly SIMD kernels unavailable: ${kernels}`);
const wasm: Chain = kernels.chain!;

const integers = (n: number, seed: number): Float64Array =>
  random(n, seed).map((x) => Math.round(3 * x));

const paramsOf = (w: readonly number[]): number =>
  w.reduce((p, wl, l) => p + (l < w.length - 1 ? wl * w[l + 1]! : wl), 0);

/** β and the contractions by explicit products: b_l = W_l·b_{l+1}, a_{l+1} = W_lᵀ·a_l. */
function direct(w: readonly number[], t: Float64Array, o: number, uu: Float64Array) {
  const L = w.length;
  const offs = [o];
  for (let l = 0; l < L - 1; l++) offs.push(offs[l]! + w[l]! * w[l + 1]!);
  const at = (l: number, i: number, j: number): number => t[offs[l]! + i * w[l + 1]! + j]!;
  const b: number[][] = [];
  b[L - 1] = Array.from({ length: w[L - 1]! }, (_, j) => t[offs[L - 1]! + j]!);
  for (let l = L - 2; l >= 0; l--)
    b[l] = Array.from({ length: w[l]! }, (_, i) =>
      b[l + 1]!.reduce((s, bj, j) => s + at(l, i, j) * bj, 0),
    );
  const grads: number[] = [];
  let a = Array.from(uu);
  for (let l = 0; l < L - 1; l++) {
    for (let i = 0; i < w[l]!; i++)
      for (let j = 0; j < w[l + 1]!; j++) grads.push(a[i]! * b[l + 1]![j]!);
    a = Array.from({ length: w[l + 1]! }, (_, j) =>
      a.reduce((s, ai, i) => s + ai * at(l, i, j), 0),
    );
  }
  grads.push(...a);
  return { beta: b[0]!, grads };
}

function run(chain: Chain, w: readonly number[], t: Float64Array, o: number, uu: Float64Array) {
  const ev = chain(w);
  const beta = new Float64Array(w[0]!);
  const out = new Float64Array(paramsOf(w) + 3).fill(-7);
  ev.beta(t, o, beta);
  ev.contract(uu, out, 2);
  return { beta, grads: out.subarray(2, 2 + paramsOf(w)), out };
}

const shapes: [readonly number[]][] = [
  [5],
  [6, 4],
  [9, 5, 3],
  [4, 6, 2, 5],
  [100, 16],
  [17, 1, 33],
].map((w) => [w]);

describe('matrix chains: kernels, JavaScript loops and explicit products', () => {
  it.each(shapes)('widths %j, integer entries: all three agree exactly', (w) => {
    const P = paramsOf(w);
    const t = integers(P + 4, 7 * P + 1);
    const uu = integers(w[0]!, 3 * P + 5);
    const want = direct(w, t, 4, uu);
    for (const chain of [wasm, jsChain]) {
      const got = run(chain, w, t, 4, uu);
      expect(Array.from(got.beta)).toEqual(want.beta);
      expect(Array.from(got.grads)).toEqual(want.grads);
      // nothing outside the row's block is written
      expect([got.out[0], got.out[1], got.out[got.out.length - 1]]).toEqual([-7, -7, -7]);
    }
  });

  it.each(shapes)('widths %j, random entries: within the forward error bound', (w) => {
    const P = paramsOf(w);
    const t = random(P, 11 * P + 3);
    const uu = random(w[0]!, 13 * P + 1);
    const abs = direct(w, t.map(Math.abs), 0, uu.map(Math.abs));
    const K = w.reduce((a, b) => a + b, 0);
    const a = run(wasm, w, t, 0, uu);
    const b = run(jsChain, w, t, 0, uu);
    a.beta.forEach((x, i) =>
      expect(Math.abs(x - b.beta[i]!)).toBeLessThanOrEqual(2 * gamma(K) * abs.beta[i]!),
    );
    a.grads.forEach((x, i) =>
      expect(Math.abs(x - b.grads[i]!)).toBeLessThanOrEqual(2 * gamma(K) * abs.grads[i]!),
    );
  });

  it('contract follows the row of the latest beta; evaluators keep their own rows', () => {
    const w = [7, 3];
    const P = paramsOf(w);
    const t = random(2 * P, 5);
    const uu = random(7, 9);
    const alone = run(wasm, w, t.slice(P), 0, uu);
    const e1 = wasm(w);
    const e2 = wasm(w);
    const beta = new Float64Array(7);
    const out = new Float64Array(2 * P);
    e1.beta(t, P, beta);
    e2.beta(t, 0, beta); // another row in between, on another evaluator
    e1.contract(uu, out, P);
    expect(Array.from(out.subarray(P))).toEqual(Array.from(alone.grads));
  });

  it('runs the JavaScript fallback when linear memory cannot grow', () => {
    const w = [6, 4];
    const P = paramsOf(w);
    const t = random(P, 21);
    const uu = random(6, 22);
    const noMemory = {
      scratch: () => false,
    } as unknown as WasmArena;
    const refusing = wasmChain({} as ChainExports, noMemory, jsChain);
    expect(run(refusing, w, t, 0, uu)).toEqual(run(jsChain, w, t, 0, uu));
  });
});
