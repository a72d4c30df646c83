/**
 * Operands of at least this many bytes become resident in linear memory on their second use
 * (the data matrix X of a run is used twice per gradient), so later products skip their copy.
 */
export const RESIDENT_MIN_BYTES = 32 * 1024;

/** Bytes of linear memory kept for resident operands before they are all dropped at once. */
export const RESIDENT_CAPACITY = 256 * 2 ** 20;

const PAGE = 65536;

/** A `WebAssembly.Memory`, as far as the arena uses it. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const align = (bytes: number): number => (bytes + 15) & ~15;

interface Resident {
  readonly ptr: number;
  readonly epoch: number;
}

/**
 * The linear memory of the kernel module, laid out as `[base, top)` resident operands then
 * scratch for one call. Operands are keyed by their `Float64Array`: the cpu backend never
 * modifies an array's entries after creating it, so an array's identity fixes its contents.
 * A `WeakMap` forgets arrays the garbage collector frees; their bytes are reclaimed when the
 * resident area is full and every entry is dropped at once (an epoch bump), which keeps the
 * bookkeeping to a bump pointer. Memory grows on demand and never shrinks.
 */
export class WasmArena {
  private f64: Float64Array;
  private top: number;
  private epoch = 0;
  private readonly resident = new WeakMap<Float64Array, Resident>();
  private readonly seen = new WeakSet<Float64Array>();

  constructor(
    private readonly memory: LinearMemory,
    private readonly base: number,
    private readonly capacity = RESIDENT_CAPACITY,
  ) {
    this.top = align(base);
    this.f64 = new Float64Array(memory.buffer);
  }

  /** The float64 view of linear memory (renewed after a grow detached the old buffer). */
  view(): Float64Array {
    if (this.f64.buffer !== this.memory.buffer) this.f64 = new Float64Array(this.memory.buffer);
    return this.f64;
  }

  private hit(x: Float64Array): number | undefined {
    const r = this.resident.get(x);
    return r !== undefined && r.epoch === this.epoch ? r.ptr : undefined;
  }

  private wantsResidence(x: Float64Array): boolean {
    if (x.byteLength < RESIDENT_MIN_BYTES || x.byteLength > this.capacity / 2) return false;
    if (this.seen.has(x)) return true;
    this.seen.add(x);
    return false;
  }

  /**
   * Byte offsets of `inputs` in linear memory (copied in unless resident), followed by the
   * offset of `scratch` free bytes for outputs and temporaries; undefined when memory cannot
   * grow that far.
   */
  place(inputs: readonly Float64Array[], scratch: number): number[] | undefined {
    const ptrs: number[] = [];
    const fresh: Float64Array[] = [];
    const kind = inputs.map((x) => (this.hit(x) !== undefined ? 'hit' : 'miss'));
    let want = inputs.map((x, i) => kind[i] === 'miss' && this.wantsResidence(x));
    const need = (w: boolean[]) =>
      inputs.reduce((s, x, i) => s + (w[i] ? align(x.byteLength) : 0), 0);
    if (this.top + need(want) > this.base + this.capacity) {
      this.epoch++; // drop every resident operand, including this call's hits
      this.top = align(this.base);
      want = inputs.map(
        (x) => x.byteLength >= RESIDENT_MIN_BYTES && x.byteLength <= this.capacity / 2,
      );
      if (this.top + need(want) > this.base + this.capacity) want = want.map(() => false);
    }
    const placed = new Map<Float64Array, number>();
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      const h = this.hit(x);
      if (h !== undefined) placed.set(x, h);
      else if (want[i] && !placed.has(x)) {
        placed.set(x, this.top);
        this.resident.set(x, { ptr: this.top, epoch: this.epoch });
        this.top += align(x.byteLength);
        fresh.push(x);
      }
    }
    let cursor = this.top;
    for (const x of inputs) {
      if (!placed.has(x)) {
        placed.set(x, cursor);
        cursor += align(x.byteLength);
        fresh.push(x);
      }
      ptrs.push(placed.get(x)!);
    }
    ptrs.push(cursor);
    if (!this.ensure(cursor + scratch)) {
      this.epoch++; // the resident entries made above were never filled
      this.top = align(this.base);
      return undefined;
    }
    const v = this.view();
    for (const x of fresh) v.set(x, placed.get(x)! / 8);
    return ptrs;
  }

  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
      return true;
    } catch {
      return false; // past the 4 GiB of wasm32 or out of memory: the caller runs JavaScript
    }
  }

  /** A fresh copy of `len` float64s at byte offset `ptr`. */
  read(ptr: number, len: number): Float64Array {
    return this.view().slice(ptr / 8, ptr / 8 + len);
  }

  /** Write the transpose (c×r) of the r×c matrix at byte offset `src` to byte offset `dst`. */
  transposeInto(src: number, r: number, c: number, dst: number): void {
    const v = this.view();
    const s = src / 8;
    const d = dst / 8;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) v[d + j * r + i] = v[s + i * c + j]!;
  }
}
