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
  const [pa, pb, scratch] = arena.place([a, b], 80)!;
  expect(Array.from(arena.read(pa!, 3))).toEqual([1, 2, 3]);
  expect(Array.from(arena.read(pb!, 2))).toEqual([4, 5]);
  expect(pa! % 16).toBe(0);
  expect(pb! % 16).toBe(0);
  expect(scratch!).toBeGreaterThanOrEqual(pb! + 16);
});

it('keeps a large operand resident from its second use: no copy on the third', () => {
  const arena = new WasmArena(memory(), 64);
  const x = big(1);
  arena.place([x], 0); // first use: scratch
  const [p2] = arena.place([x], 0)!; // second use: made resident
  arena.view()[p2! / 8] = 42; // a copy would overwrite this
  const [p3] = arena.place([x], 0)!;
  expect(p3).toBe(p2);
  expect(arena.read(p3!, 1)[0]).toBe(42);
});

it('small operands are always copied', () => {
  const arena = new WasmArena(memory(), 64);
  const x = Float64Array.from([1, 2]);
  arena.place([x], 0);
  const [p] = arena.place([x], 0)!;
  arena.view()[p! / 8] = 42;
  const [q] = arena.place([x], 0)!;
  expect(arena.read(q!, 2)[0]).toBe(1);
});

it('drops every resident operand when the area is full, then places correctly', () => {
  const capacity = 3 * RESIDENT_MIN_BYTES;
  const arena = new WasmArena(memory(), 64, capacity);
  const xs = [1, 2, 3, 4].map(big);
  for (const x of xs) arena.place([x], 0);
  const ptrs = xs.slice(0, 3).map((x) => arena.place([x], 0)![0]!);
  expect(new Set(ptrs).size).toBe(3);
  const [p4] = arena.place([xs[3]!], 0)!; // does not fit: the area restarts
  expect(p4).toBe(ptrs[0]);
  const [p0, q4] = arena.place([xs[0]!, xs[3]!], 0)!; // xs[0] was dropped: copied in again
  expect(arena.read(p0!, 1)[0]).toBe(1);
  expect(arena.read(q4!, 1)[0]).toBe(4);
});

it('grows memory on demand and renews the view', () => {
  const mem = memory();
  const arena = new WasmArena(mem, 64);
  const before = arena.view();
  const x = new Float64Array(100_000).fill(3);
  const [p] = arena.place([x], 8 * 100_000)!;
  expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(p! + 16 * 100_000);
  expect(arena.view()).not.toBe(before);
  expect(arena.read(p! + 8 * 99_999, 1)[0]).toBe(3);
});
