/**
 * The real-input DFT on the WebAssembly SIMD kernels (assembly/fft.ts, assembly/fft-real.ts):
 * the algorithm of fft-real.ts and fft-mixed.ts on interleaved complex numbers, one f64x2 per
 * complex number. Plans live in their own instance of the kernel module, so that their
 * long-lived tables never mix with the products' arena (wasm-arena.ts): per length, the
 * twiddles (from `Math.cos`/`Math.sin` of the angles fft-mixed.ts uses), the stage table and
 * the buffers are written once; a transform then copies the signal in, runs one export, and
 * copies the half spectrum out (or the reverse), allocating nothing. A {@link RealSpectra}
 * workspace keeps half spectra in that memory too, so that only real signals are copied (the
 * convolutional evaluator's path). Lengths whose complex transform (n/2 for even n, n for odd
 * n) has a prime factor above {@link MAX_DIRECT_PRIME} have no plan here: the backend takes
 * the JavaScript transform (Bluestein) for them.
 */
import { MAX_DIRECT_PRIME, factorize } from './fft-mixed.js';
import type { RealDft } from './fft-real.js';
import type { LinearMemory } from './wasm-arena.js';
import { instantiateKernels } from './wasm-module.js';

/** The exports used here (byte offsets into `memory`). */
interface FftExports {
  readonly memory: LinearMemory;
  heapBase(): number;
  rdftForward(plan: number, z: number): void;
  rdftInverse(plan: number, z: number): void;
  spectraMul(a: number, b: number, c: number, len: number): void;
  spectraMulConj(u: number, b: number, c: number, len: number): void;
}

const PAGE = 65536;
/** Up to this many entries, copies loop (creating a view for `set` costs more). */
const SHORT = 64;
const align = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Bytes of live spectra workspaces at most: past them {@link wasmRealSpectra} answers undefined
 * (callers take `rdft`, which rounds the same) until collected workspaces return theirs. The
 * garbage collector does not see linear memory, so without a bound a loop creating many
 * evaluators could grow it far ahead of the collections that would free their blocks.
 */
export const SPECTRA_CAPACITY = 64 * 2 ** 20;

/**
 * The linear memory of the FFT's instance: a bump area with a free list per block size. Plans
 * are kept for the process (one per length used); a spectra workspace returns its block when
 * the garbage collector takes it (a `FinalizationRegistry` where the runtime has one).
 */
class KernelHeap {
  f64: Float64Array;
  /** Bytes of the live spectra workspaces. */
  spectra = 0;
  private top: number;
  private readonly free = new Map<number, number[]>();
  readonly registry =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry<[number, number]>(([ptr, bytes]) => {
          this.spectra -= bytes;
          this.release(ptr, bytes);
        })
      : undefined;

  constructor(readonly x: FftExports) {
    this.top = align(x.heapBase());
    this.f64 = new Float64Array(x.memory.buffer);
  }

  /** `bytes` (a multiple of 16) of memory, or undefined where memory cannot grow that far. */
  alloc(bytes: number): number | undefined {
    const reused = this.free.get(bytes)?.pop();
    if (reused !== undefined) return reused;
    const end = this.top + bytes;
    const mem = this.x.memory;
    const have = mem.buffer.byteLength;
    if (end > have) {
      const need = Math.ceil((end - have) / PAGE);
      try {
        mem.grow(Math.max(need, Math.min(have / PAGE, 1024)));
      } catch {
        try {
          mem.grow(need);
        } catch {
          return undefined;
        }
      }
      this.f64 = new Float64Array(mem.buffer);
    }
    const p = this.top;
    this.top = end;
    return p;
  }

  /** Return a block of {@link alloc}. */
  release(ptr: number, bytes: number): void {
    let list = this.free.get(bytes);
    if (list === undefined) this.free.set(bytes, (list = []));
    list.push(ptr);
  }
}

/** Byte offsets of one plan's parts (see assembly/fft-real.ts for the header). */
interface Layout {
  readonly plan: number;
  readonly x: number;
  readonly z: number;
}

/** The radices of n's complex transform, or undefined when one exceeds the direct butterflies. */
function radicesOf(n: number): number[] | undefined {
  const m = n % 2 === 0 ? n / 2 : n;
  const r = m === 1 ? [] : factorize(m);
  return r.every((p) => p <= MAX_DIRECT_PRIME) ? r : undefined;
}

/** Write the plan of length n into fresh memory; undefined when memory cannot grow. */
function writePlan(mem: KernelHeap, n: number, radices: readonly number[]): Layout | undefined {
  const even = n % 2 === 0;
  const m = even ? n / 2 : n;
  const s = radices.length;
  const header = 48;
  const cplan = align(16 + 32 * s);
  let twBytes = 0;
  let genBytes = 0;
  let L = 1;
  for (const p of radices) {
    twBytes += 48 * L * (p - 1);
    if (p > 5) genBytes += 32 * p;
    L *= p;
  }
  const post = even ? 32 * (Math.floor(m / 2) + 1) : 0;
  const xb = align(8 * n);
  const zb = 16 * (m + 1);
  const wb = 16 * m;
  const yb = even ? 0 : 16 * m;
  const total = header + cplan + twBytes + genBytes + post + xb + zb + wb + yb;
  const base = mem.alloc(total);
  if (base === undefined) return undefined;
  const f = mem.f64;
  const i32 = new Int32Array(f.buffer);
  let cur = base + header;
  const c = cur;
  cur += cplan;
  // stages: p, L, r', twiddles, (cos, sin) table and scratch of a generic radix
  i32[c / 4] = s;
  L = 1;
  radices.forEach((p, i) => {
    const r = (c + 16 + 32 * i) / 4;
    const lp = L * p;
    i32[r] = p;
    i32[r + 1] = L;
    i32[r + 2] = m / lp;
    i32[r + 3] = cur;
    for (let j = 0; j < L; j++) {
      for (let q = 1; q < p; q++) {
        const angle = (2 * Math.PI * ((q * j) % lp)) / lp;
        const e = (cur + 48 * (j * (p - 1) + q - 1)) / 8;
        f[e] = f[e + 1] = Math.cos(angle);
        f[e + 2] = f[e + 5] = Math.sin(angle); // −w_i with w_i = −sin
        f[e + 3] = f[e + 4] = -Math.sin(angle);
      }
    }
    cur += 48 * L * (p - 1);
    if (p > 5) {
      i32[r + 4] = cur;
      i32[r + 5] = cur + 16 * p;
      for (let t = 0; t < p; t++) {
        f[cur / 8 + 2 * t] = Math.cos((2 * Math.PI * t) / p);
        f[cur / 8 + 2 * t + 1] = Math.sin((2 * Math.PI * t) / p);
      }
      cur += 32 * p;
    }
    L = lp;
  });
  const tw = cur;
  if (even) {
    for (let k = 0; 2 * k <= m; k++) {
      const e = (tw + 32 * k) / 8;
      f[e] = f[e + 1] = Math.cos((2 * Math.PI * k) / n);
      f[e + 2] = Math.sin((2 * Math.PI * k) / n);
      f[e + 3] = -Math.sin((2 * Math.PI * k) / n);
    }
    if (m % 2 === 0) {
      // w_{h/2} = −i exactly, as in fft-real.ts
      const e = (tw + 32 * (m / 2)) / 8;
      f[e] = f[e + 1] = 0;
      f[e + 2] = 1;
      f[e + 3] = -1;
    }
  }
  cur += post;
  const x = cur;
  const z = x + xb;
  const w = z + zb;
  const y = w + wb;
  const h = base / 4;
  i32[h] = n;
  i32[h + 1] = m;
  i32[h + 2] = x;
  i32[h + 3] = z;
  i32[h + 4] = w;
  i32[h + 5] = even ? 0 : y;
  i32[h + 6] = tw;
  i32[h + 7] = c;
  f[base / 8 + 4] = even ? 0.5 / m : 1 / n;
  return { plan: base, x, z };
}

/** A {@link RealDft} on the kernels: the signal copied in, one export, the bins copied out. */
class WasmRealDft implements RealDft {
  readonly bins: number;
  private xs: Float64Array;

  constructor(
    readonly heap: KernelHeap,
    readonly n: number,
    readonly layout: Layout,
  ) {
    this.bins = Math.floor(n / 2) + 1;
    this.xs = this.signal();
  }

  /** The view of the plan's signal X (renewed after memory grew). */
  signal(): Float64Array {
    if (this.xs?.buffer !== this.heap.f64.buffer) {
      this.xs = this.heap.f64.subarray(this.layout.x / 8, this.layout.x / 8 + this.n);
    }
    return this.xs;
  }

  /** X = the entries `x[o .. o + len)`, zero-padded to n. */
  load(x: Float64Array, o: number, len: number): void {
    const xs = this.signal();
    if (o === 0 && x.length === len) xs.set(x);
    else if (len > SHORT) xs.set(x.subarray(o, o + len));
    else for (let j = 0; j < len; j++) xs[j] = x[o + j]!;
    if (len < this.n) xs.fill(0, len);
  }

  forward(x: Float64Array, re: Float64Array, im: Float64Array): void {
    const { plan, z } = this.layout;
    this.load(x, 0, this.n);
    this.heap.x.rdftForward(plan, z);
    const f = this.heap.f64;
    for (let k = 0, e = z / 8; k < this.bins; k++, e += 2) {
      re[k] = f[e]!;
      im[k] = f[e + 1]!;
    }
  }

  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    const { plan, z } = this.layout;
    const f = this.heap.f64;
    for (let k = 0, e = z / 8; k < this.bins; k++, e += 2) {
      f[e] = re[k]!;
      f[e + 1] = im[k]!;
    }
    this.heap.x.rdftInverse(plan, z);
    x.set(this.signal());
  }
}

/**
 * Half spectra of length-n real signals held in the kernels' memory (`slots` of them, each
 * `m + 1` complex numbers), transformed and multiplied there: only real signals cross between
 * JavaScript and linear memory.
 */
export interface RealSpectra {
  /** The signal length n. */
  readonly n: number;
  /** The bins of a half spectrum, `⌊n/2⌋ + 1`. */
  readonly bins: number;
  /** Slot `s` = the half spectrum of `x[o .. o + len)` zero-padded to n (`len ≤ n`). */
  forward(x: Float64Array, o: number, len: number, s: number): void;
  /** Slot `c` = slot `a` · slot `b`, bin by bin (c may be a or b). */
  mul(a: number, b: number, c: number): void;
  /** Slot `c` = slot `a` · conj(slot `b`), bin by bin (c may be a or b). */
  mulConj(a: number, b: number, c: number): void;
  /**
   * `out[oo .. oo + len)` = the first `len ≤ n` entries of the real signal of slot `s`'s
   * Hermitian spectrum (imaginary parts of bin 0, and n/2 for even n, taken as 0); slot `s`
   * is overwritten.
   */
  inverse(s: number, out: Float64Array, oo: number, len: number): void;
}

class WasmRealSpectra implements RealSpectra {
  readonly n: number;
  readonly bins: number;
  private readonly stride: number;

  constructor(
    private readonly t: WasmRealDft,
    private readonly base: number,
    slots: number,
  ) {
    this.n = t.n;
    this.bins = t.bins;
    this.stride = spectrumBytes(t.n);
    t.heap.registry?.register(this, [base, slots * this.stride]);
  }

  private at(s: number): number {
    return this.base + s * this.stride;
  }

  forward(x: Float64Array, o: number, len: number, s: number): void {
    this.t.load(x, o, len);
    this.t.heap.x.rdftForward(this.t.layout.plan, this.at(s));
  }

  mul(a: number, b: number, c: number): void {
    this.t.heap.x.spectraMul(this.at(a), this.at(b), this.at(c), this.bins);
  }

  mulConj(a: number, b: number, c: number): void {
    this.t.heap.x.spectraMulConj(this.at(a), this.at(b), this.at(c), this.bins);
  }

  inverse(s: number, out: Float64Array, oo: number, len: number): void {
    this.t.heap.x.rdftInverse(this.t.layout.plan, this.at(s));
    const xs = this.t.signal();
    if (len === this.n) out.set(xs, oo);
    else if (len > SHORT) out.set(xs.subarray(0, len), oo);
    else for (let j = 0; j < len; j++) out[oo + j] = xs[j]!;
  }
}

/** Bytes of one half spectrum (`m + 1` complex numbers, m the complex transform's length). */
function spectrumBytes(n: number): number {
  return 16 * ((n % 2 === 0 ? n / 2 : n) + 1);
}

let heap: KernelHeap | string | undefined;
const plans = new Map<number, WasmRealDft | null>();

function plan(n: number): WasmRealDft | undefined {
  let p = plans.get(n);
  if (p !== undefined) return p ?? undefined;
  heap ??= ((): KernelHeap | string => {
    const x = instantiateKernels<FftExports>();
    return typeof x === 'string' ? x : new KernelHeap(x);
  })();
  const radices = radicesOf(n);
  if (typeof heap === 'string' || radices === undefined) p = null;
  else {
    const layout = writePlan(heap, n, radices);
    p = layout === undefined ? null : new WasmRealDft(heap, n, layout);
  }
  plans.set(n, p);
  return p ?? undefined;
}

/**
 * The real-input DFT of length `n ≥ 1` on the WebAssembly SIMD kernels (cached per length), or
 * undefined where they cannot run here or n's complex transform has a prime factor above
 * {@link MAX_DIRECT_PRIME} (the caller then takes the JavaScript `rdft` of fft-real.ts). Same
 * contract as the JavaScript transform, and the same roundings; one plan serves one caller at a
 * time (calls are synchronous).
 */
export function wasmRdft(n: number): RealDft | undefined {
  return plan(n);
}

/**
 * A workspace of `slots` half spectra of length-n signals in the kernels' memory
 * ({@link RealSpectra}), or undefined where {@link wasmRdft} has no plan for n, memory cannot
 * grow, or the live workspaces would exceed {@link SPECTRA_CAPACITY}. Its transforms and products round as the JavaScript `rdft` and the spectrum products
 * of @implicit-bias/networks.
 */
export function wasmRealSpectra(n: number, slots: number): RealSpectra | undefined {
  const t = plan(n);
  if (t === undefined) return undefined;
  const bytes = slots * spectrumBytes(n);
  if (t.heap.spectra + bytes > SPECTRA_CAPACITY) return undefined;
  const base = t.heap.alloc(bytes);
  if (base === undefined) return undefined;
  t.heap.spectra += bytes;
  return new WasmRealSpectra(t, base, slots);
}
