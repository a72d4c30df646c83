/**
 * Operands of at least this many bytes become resident in linear memory on their third use, so
 * later products skip their copy: the data matrix X of a run (used twice per gradient) becomes
 * resident during the second gradient, while the temporaries of one gradient (a layer's weights
 * and activations, used once forward and once backward) never claim resident space.
 */
export const RESIDENT_MIN_BYTES = 32 * 1024;

/** The use of an operand on which it becomes resident. */
export const RESIDENT_AFTER_USES = 3;

/** Bytes of linear memory kept for resident operands before they are all dropped at once. */
export const RESIDENT_CAPACITY = 64 * 2 ** 20;

const PAGE = 65536;

/** Up to this many entries, copies between the JavaScript heap and linear memory loop. */
const SHORT = 256;

/** A `WebAssembly.Memory`, as far as the arena uses it. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const align = (bytes: number): number => (bytes + 15) & ~15;

/** At most this many operands are resident, and this many more are counted as candidates. */
const MAX_RESIDENT = 8;
const MAX_CANDIDATES = 8;

interface Resident {
  readonly x: Float64Array;
  readonly ptr: number;
}

/**
 * The linear memory of the kernel module, laid out as `[base, top)` resident operands then
 * scratch for one call. Operands are keyed by their `Float64Array`: the cpu backend never
 * modifies an array's entries after creating it, so an array's identity fixes its contents.
 * Residents and candidates are short lists scanned by identity (a `WeakMap` entry per large
 * temporary made the garbage collector's ephemeron work dominate small gradients); they hold
 * their arrays until the area is full and every entry is dropped at once, which bounds what is
 * kept alive by the capacity and keeps the bookkeeping to a bump pointer. A run's temporaries may claim resident space too (a layer's
 * weights are used three times per gradient); that costs the same copy as scratch would, and
 * the capacity bounds the memory it takes. Memory grows on demand and never shrinks.
 */
export class WasmArena {
  private f64: Float64Array;
  private top: number;
  private resident: Resident[] = [];
  private readonly candidates: Float64Array[] = [];
  private readonly uses: number[] = [];

  constructor(
    private readonly memory: LinearMemory,
    private readonly base: number,
    private readonly capacity = RESIDENT_CAPACITY,
  ) {
    this.top = align(base);
    this.f64 = new Float64Array(memory.buffer);
  }

  /**
   * The float64 view of linear memory, renewed after a grow detached the old buffer (a detached
   * buffer's view has length 0; testing that avoids the `memory.buffer` getter on every call).
   */
  view(): Float64Array {
    if (this.f64.length === 0) this.f64 = new Float64Array(this.memory.buffer);
    return this.f64;
  }

  /** Byte offset of the first operand after {@link place}. */
  p0 = 0;
  /** Byte offset of the second operand after {@link place}. */
  p1 = 0;
  /** Byte offset of the scratch bytes after {@link place}. */
  ps = 0;

  /** The least size of a resident operand in the current {@link place} call. */
  private minBytes = RESIDENT_MIN_BYTES;

  private resident_(x: Float64Array): boolean {
    return x.byteLength >= this.minBytes && x.byteLength <= this.capacity / 2;
  }

  private hit(x: Float64Array): number | undefined {
    if (x.byteLength < this.minBytes) return undefined;
    for (const r of this.resident) if (r.x === x) return r.ptr;
    return undefined;
  }

  /** Whether `x` should become resident now: large enough and used often enough. */
  private wants(x: Float64Array): boolean {
    if (!this.resident_(x)) return false;
    const i = this.candidates.indexOf(x);
    if (i < 0) {
      if (this.candidates.length === MAX_CANDIDATES) {
        this.candidates.shift();
        this.uses.shift();
      }
      this.candidates.push(x);
      this.uses.push(1);
      return false;
    }
    if (++this.uses[i]! < RESIDENT_AFTER_USES) return false;
    this.candidates.splice(i, 1);
    this.uses.splice(i, 1);
    return true;
  }

  private claim(x: Float64Array): number {
    const ptr = this.top;
    this.resident.push({ x, ptr });
    this.top += align(x.byteLength);
    return ptr;
  }

  /** Drop every resident operand (their bytes are reused from the start of the area). */
  private reset(): void {
    this.resident = [];
    this.top = align(this.base);
  }

  /**
   * Put two operands in linear memory (copied in unless resident; `b` may be `a`) and reserve
   * `scratch` bytes after them; their byte offsets are then {@link p0}, {@link p1} and
   * {@link ps}. False when memory cannot grow that far (the caller runs JavaScript). Allocates
   * nothing on the JavaScript heap: it runs on every product.
   *
   * `fixed` says which operands keep their entries for as long as they live (bit 0: `a`, bit 1:
   * `b`; default both, as every backend array): only those may become resident. A caller-owned
   * workspace whose entries change between calls must be placed as not fixed, or a later call
   * would read its stale resident copy.
   *
   * `minBytes` is the least size of an operand that may become resident (default
   * {@link RESIDENT_MIN_BYTES}); a caller that knows its fixed operand is reused on every call
   * (a run's data matrix in a fused gradient) passes 0, so small data skip their copy too.
   */
  place(
    a: Float64Array,
    b: Float64Array,
    scratch: number,
    fixed = 3,
    minBytes = RESIDENT_MIN_BYTES,
  ): boolean {
    this.minBytes = minBytes;
    const same = a === b;
    const fixedA = (fixed & 1) !== 0 && (!same || (fixed & 2) !== 0);
    const fixedB = (fixed & 2) !== 0 && (!same || (fixed & 1) !== 0);
    let pa = fixedA ? this.hit(a) : undefined;
    let pb = same ? pa : fixedB ? this.hit(b) : undefined;
    let wa = pa === undefined && fixedA && this.wants(a);
    let wb = !same && pb === undefined && fixedB && this.wants(b);
    const need = (wa ? align(a.byteLength) : 0) + (wb ? align(b.byteLength) : 0);
    const full = this.resident.length + (wa ? 1 : 0) + (wb ? 1 : 0) > MAX_RESIDENT;
    if (full || this.top + need > this.base + this.capacity) {
      this.reset(); // including this call's hits
      pa = pb = undefined;
      wa = fixedA && this.resident_(a);
      wb = !same && fixedB && this.resident_(b);
      const both = (wa ? align(a.byteLength) : 0) + (wb ? align(b.byteLength) : 0);
      if (this.top + both > this.base + this.capacity) wa = wb = false;
    }
    let copyA = false;
    let copyB = false;
    if (pa === undefined && wa) {
      pa = this.claim(a);
      copyA = true;
    }
    if (!same && pb === undefined && wb) {
      pb = this.claim(b);
      copyB = true;
    }
    let cursor = this.top;
    if (pa === undefined) {
      pa = cursor;
      cursor += align(a.byteLength);
      copyA = true;
    }
    if (same) pb = pa;
    else if (pb === undefined) {
      pb = cursor;
      cursor += align(b.byteLength);
      copyB = true;
    }
    if (!this.ensure(cursor + scratch)) {
      this.reset(); // resident entries claimed above were never filled
      return false;
    }
    const v = this.view();
    if (copyA) v.set(a, pa / 8);
    if (copyB) v.set(b, pb! / 8);
    this.p0 = pa;
    this.p1 = pb!;
    this.ps = cursor;
    return true;
  }

  /**
   * Reserve `bytes` of scratch for one call and no operands: its byte offset is then
   * {@link ps}. False when memory cannot grow that far.
   */
  scratch(bytes: number): boolean {
    if (!this.ensure(this.top + bytes)) return false;
    this.ps = this.top;
    return true;
  }

  /**
   * Grow memory to at least `end` bytes, at least doubling it: a grow may copy the whole memory,
   * so geometric growth keeps that cost proportional to the bytes finally used.
   */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const need = Math.ceil((end - have) / PAGE);
    for (const pages of [Math.max(need, have / PAGE), need]) {
      try {
        this.memory.grow(pages);
        return true;
      } catch {
        // past the 4 GiB of wasm32 or out of memory: retry with the exact need, else JavaScript
      }
    }
    return false;
  }

  /** A fresh copy of `len` float64s at byte offset `ptr`. */
  read(ptr: number, len: number): Float64Array {
    return this.view().slice(ptr / 8, ptr / 8 + len);
  }

  /** Copy `len` float64s at byte offset `ptr` into `out` (no allocation proportional to `len`). */
  readInto(ptr: number, out: Float64Array, len: number): void {
    const v = this.view();
    const p = ptr / 8;
    if (len <= SHORT) {
      // a loop beats creating the view of `set` for short vectors (the hot small gradients)
      for (let i = 0; i < len; i++) out[i] = v[p + i]!;
      return;
    }
    out.set(v.subarray(p, p + len));
  }

  /** Copy `x[0 .. len)` to byte offset `ptr` (no allocation proportional to `len`). */
  writeAt(x: Float64Array, len: number, ptr: number): void {
    const v = this.view();
    const p = ptr / 8;
    if (len <= SHORT || len !== x.length) {
      for (let i = 0; i < len; i++) v[p + i] = x[i]!;
      return;
    }
    v.set(x, p);
  }

  /** Write the transpose (c×r) of the r×c matrix at byte offset `src` to byte offset `dst`. */
  transposeInto(src: number, r: number, c: number, dst: number): void {
    const v = this.view();
    const s = src / 8;
    const d = dst / 8;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) v[d + j * r + i] = v[s + i * c + j]!;
  }
}
