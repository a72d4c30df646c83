import { key, normal } from '@implicit-bias/core';
import { createCpuBackend } from './backend.js';
import { factorize } from './fft-mixed.js';
import { rdft } from './fft-real.js';
import { SPECTRA_CAPACITY, wasmRdft, wasmRealSpectra } from './fft-wasm.js';
import { U, realBound, referenceDft } from './fft.test.helpers.js';

const norm2 = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
const maxAbs = (a: Float64Array, b: Float64Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** Whether the kernels plan length n: its complex transform's prime factors are at most 31. */
const planned = (n: number): boolean =>
  n === 1 || n === 2 || factorize(n % 2 === 0 ? n / 2 : n).every((p) => p <= 31);

const lengths = [
  ...Array.from({ length: 64 }, (_, i) => i + 1),
  ...[74, 97, 100, 121, 128, 169, 200, 243, 250, 256, 343, 361, 500, 961, 997, 1000, 1001, 1024],
  ...[1994, 2000, 2187],
];

// Runtimes without WebAssembly SIMD run the JavaScript transform only (nothing to compare).
const available = wasmRdft(8) !== undefined;
const suite = available ? describe : describe.skip;

suite('wasmRdft: the real-input FFT on the WebAssembly SIMD kernels', () => {
  it.each(lengths)('length %i: against the direct DFT and the JavaScript rdft', (n) => {
    const W = wasmRdft(n);
    if (!planned(n)) {
      expect(W).toBeUndefined(); // a prime factor above 31: the backend takes JavaScript
      return;
    }
    if (W === undefined) throw new Error(`no plan for ${n}`);
    expect([W.n, W.bins]).toEqual([n, Math.floor(n / 2) + 1]);
    const x = normal(key(n, 15), n);
    const keep = x.slice();
    const size = norm2(x);
    const re = new Float64Array(W.bins).fill(NaN);
    const im = new Float64Array(W.bins).fill(NaN);
    W.forward(x, re, im);
    expect(x).toEqual(keep);
    expect(im[0]).toBe(0);
    if (n % 2 === 0) expect(im[n / 2]).toBe(0);
    // the oracle: the compensated O(n²) DFT, within the float64 bound of the FFT (its error
    // grows like u·log n·‖x‖₂·√n, fft.test.helpers.ts) plus the oracle's own (2u·√n·‖x‖₂)
    const [er, ei] = referenceDft(x, new Float64Array(n));
    const tol = (realBound(n) + 2 * Math.sqrt(n)) * U * size;
    expect(maxAbs(re, er.subarray(0, W.bins))).toBeLessThanOrEqual(tol);
    expect(maxAbs(im, ei.subarray(0, W.bins))).toBeLessThanOrEqual(tol);
    // the same stages, butterflies and twiddles as the JavaScript transform, no fused
    // multiply-adds in either: the same roundings, so equal bit for bit
    const jr = new Float64Array(W.bins);
    const ji = new Float64Array(W.bins);
    rdft(n).forward(x, jr, ji);
    expect(re).toEqual(jr);
    expect(im).toEqual(ji);
    // back: inverse∘forward is the identity within the bound; inputs are kept
    const spec = [re.slice(), im.slice()];
    const y = new Float64Array(n + 1).fill(7);
    W.inverse(re, im, y);
    expect([re, im]).toEqual(spec);
    expect(y[n]).toBe(7);
    const bound = (2 * realBound(n)) / Math.sqrt(n) + 2;
    expect(maxAbs(y.subarray(0, n), x)).toBeLessThanOrEqual(bound * U * size);
    const jy = new Float64Array(n);
    rdft(n).inverse(re, im, jy);
    expect(y.subarray(0, n)).toEqual(jy);
  });

  it('keeps its plans across memory growth', () => {
    const W = wasmRdft(1000)!;
    const x = normal(key(3), 1000);
    const [r0, i0] = [new Float64Array(501), new Float64Array(501)];
    W.forward(x, r0, i0);
    // a workspace of 32 MiB grows the memory and so detaches its old views
    expect(wasmRealSpectra(1000, 4096)).toBeDefined();
    const [r1, i1] = [new Float64Array(501), new Float64Array(501)];
    W.forward(x, r1, i1);
    expect([r1, i1]).toEqual([r0, i0]);
    const y = new Float64Array(1000);
    W.inverse(r1, i1, y);
    expect(maxAbs(y, x)).toBeLessThan(1e-13 * norm2(x));
  });
});

suite('wasmRealSpectra: half spectra kept in the kernels’ memory', () => {
  it.each([1, 2, 9, 10, 64, 100, 1000, 1001])('length %i: as rdft and the products', (n) => {
    const S = wasmRealSpectra(n, 4)!;
    const R = rdft(n);
    const h = R.bins;
    const k = Math.max(1, n >> 1);
    // slot 0: a filter of k entries at an offset, zero-padded; slot 1: a full signal
    const t = normal(key(n, 16), k + 5);
    const u = normal(key(n, 17), n);
    S.forward(t, 5, k, 0);
    S.forward(u, 0, n, 1);
    const pad = new Float64Array(n);
    pad.set(t.subarray(5, 5 + k));
    const [ar, ai, br, bi] = [0, 0, 0, 0].map(() => new Float64Array(h)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    R.forward(pad, ar, ai);
    R.forward(u, br, bi);
    // the products bin by bin as the written formulas round them, then the inverse of each
    const pr = ar.map((a, j) => a * br[j]! - ai[j]! * bi[j]!);
    const pi = ar.map((a, j) => a * bi[j]! + ai[j]! * br[j]!);
    const qr = br.map((b, j) => b * ar[j]! + bi[j]! * ai[j]!);
    const qi = br.map((b, j) => bi[j]! * ar[j]! - b * ai[j]!);
    S.mul(0, 1, 2);
    S.mulConj(1, 0, 3);
    S.mulConj(1, 0, 1); // in place
    const want = (sr: Float64Array, si: Float64Array, len: number): Float64Array => {
      const x = new Float64Array(n);
      R.inverse(sr, si, x);
      return x.subarray(0, len);
    };
    const out = new Float64Array(n + 3).fill(7);
    S.inverse(2, out, 2, n);
    expect(out.subarray(2, 2 + n)).toEqual(want(pr, pi, n));
    expect([out[0], out[1], out[n + 2]]).toEqual([7, 7, 7]);
    out.fill(7);
    S.inverse(3, out, 1, k);
    expect(out.subarray(1, 1 + k)).toEqual(want(qr, qi, k));
    expect(out[1 + k]).toBe(7);
    S.inverse(1, out, 0, n);
    expect(out.subarray(0, n)).toEqual(want(qr, qi, n));
  });

  it('has none for a length the JavaScript transform runs (prime factor above 31)', () => {
    expect(wasmRealSpectra(97, 3)).toBeUndefined();
    expect(wasmRealSpectra(2 * 37, 3)).toBeUndefined();
  });
});

describe('the cpu backend’s real transforms', () => {
  it('take the kernels’ FFT on the WebAssembly path, JavaScript otherwise', () => {
    const js = createCpuBackend({ kernels: 'js' }).host;
    expect(js.rdft(100)).toBe(rdft(100));
    expect(js.realSpectra(100, 3)).toBeUndefined();
    if (!available) return;
    const wasm = createCpuBackend({ kernels: 'wasm' }).host;
    expect(wasm.rdft(100)).toBe(wasmRdft(100));
    expect(wasm.rdft(97)).toBe(rdft(97)); // Bluestein, in JavaScript
    expect(wasm.realSpectra(100, 3)).toBeDefined();
    expect(wasm.realSpectra(97, 3)).toBeUndefined();
  });
});

// Last in this file: the workspaces it keeps alive fill the bound for the tests after it.
suite('wasmRealSpectra: bounded live memory', () => {
  it(`answers undefined past ${SPECTRA_CAPACITY / 2 ** 20} MiB of live workspaces`, () => {
    const slots = Math.ceil(2 ** 23 / (16 * 501)); // about 8 MiB each at n = 1000
    const live = [];
    for (let i = 0; i <= SPECTRA_CAPACITY / 2 ** 23 + 1; i++) {
      const s = wasmRealSpectra(1000, slots);
      if (s === undefined) break;
      live.push(s);
    }
    expect(live.length).toBeLessThanOrEqual(SPECTRA_CAPACITY / 2 ** 23);
    expect(wasmRealSpectra(1000, slots)).toBeUndefined();
    // the transform itself is not bounded (plans are per length)
    expect(wasmRdft(1000)).toBeDefined();
  });
});
