import { RESIDENT_MIN_BYTES, WasmArena } from './wasm-arena.js';
import type { LinearMemory } from './wasm-arena.js';

// The arena is tested on a real WebAssembly.Memory: placement copies operands in, an operand
// used twice stays resident (its bytes are not copied again), a full resident area is dropped
// at once, and growth renews the view.

const memory = (): LinearMemory =>
  new (
    globalThis as unknown as {
      WebAssembly: { Memory: new (d: { initial: number }) => LinearMemory };
    }
  ).WebAssembly.Memory({ initial: 1 });

const big = (value: number): Float64Array => new Float64Array(RESIDENT_MIN_BYTES / 8).fill(value);

it('copies operands in and returns the scratch offset after them', () => {
  const arena = new WasmArena(memory(), 64);
  const a = Float64Array.from([1, 2, 3]);
  const b = Float64Array.from([4, 5]);
  expect(arena.place(a, b, 80)).toBe(true);
  const { p0: pa, p1: pb, ps: scratch } = arena;
  expect(Array.from(arena.read(pa, 3))).toEqual([1, 2, 3]);
  expect(Array.from(arena.read(pb, 2))).toEqual([4, 5]);
  expect(pa % 16).toBe(0);
  expect(pb % 16).toBe(0);
  expect(scratch).toBeGreaterThanOrEqual(pb + 16);
});

it('keeps a large operand resident from its third use: no copy on the fourth', () => {
  const arena = new WasmArena(memory(), 64);
  const x = big(1);
  const y = Float64Array.from([1]);
  arena.place(x, y, 0); // first and second use: scratch (a temporary used forward and back)
  arena.place(x, y, 0);
  expect(arena.p0).toBe(arena.ps - 16 - RESIDENT_MIN_BYTES); // copied below the scratch
  arena.place(x, y, 0); // third use: made resident
  const p2 = arena.p0;
  arena.view()[p2 / 8] = 42; // a copy would overwrite this
  arena.place(x, y, 0);
  expect(arena.p0).toBe(p2);
  expect(arena.read(p2, 1)[0]).toBe(42);
});

it('small operands are always copied', () => {
  const arena = new WasmArena(memory(), 64);
  const x = Float64Array.from([1, 2]);
  arena.place(x, x, 0);
  arena.place(x, x, 0);
  arena.view()[arena.p0 / 8] = 42;
  arena.place(x, x, 0);
  expect(arena.p1).toBe(arena.p0);
  expect(arena.read(arena.p0, 2)[0]).toBe(1);
});

it('drops every resident operand when the area is full, then places correctly', () => {
  const capacity = 3 * RESIDENT_MIN_BYTES;
  const arena = new WasmArena(memory(), 64, capacity);
  const xs = [1, 2, 3, 4].map(big);
  const one = (x: Float64Array): number => (arena.place(x, x, 0), arena.p0);
  for (const x of xs) one(x);
  for (const x of xs) one(x);
  const ptrs = xs.slice(0, 3).map(one);
  expect(new Set(ptrs).size).toBe(3);
  expect(one(xs[3]!)).toBe(ptrs[0]); // does not fit: the area restarts
  arena.place(xs[0]!, xs[3]!, 0); // xs[0] was dropped: copied in again
  expect(arena.read(arena.p0, 1)[0]).toBe(1);
  expect(arena.read(arena.p1, 1)[0]).toBe(4);
  expect(arena.p1).toBe(ptrs[0]);
});

it('grows memory on demand and renews the view', () => {
  const mem = memory();
  const arena = new WasmArena(mem, 64);
  const before = arena.view();
  const x = new Float64Array(100_000).fill(3);
  expect(arena.place(x, x, 8 * 100_000)).toBe(true);
  expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(arena.ps + 8 * 100_000);
  expect(arena.view()).not.toBe(before);
  expect(arena.read(arena.p0 + 8 * 99_999, 1)[0]).toBe(3);
});

it('reserves scratch without operands, growing memory as needed', () => {
  const mem = memory();
  const arena = new WasmArena(mem, 64);
  expect(arena.scratch(8 * 50_000)).toBe(true);
  expect(arena.ps % 16).toBe(0);
  expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(arena.ps + 8 * 50_000);
  const v = arena.view();
  v[arena.ps / 8 + 49_999] = 5;
  expect(arena.read(arena.ps + 8 * 49_999, 1)[0]).toBe(5);
});
