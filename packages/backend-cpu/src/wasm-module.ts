import type { ChainExports } from './chain.js';
import { WasmArena } from './wasm-arena.js';
import type { LinearMemory } from './wasm-arena.js';
import { KERNELS_WASM_BASE64 } from './wasm-bytes.generated.js';

// Loading the kernel module (assembly/kernels.ts, embedded by scripts/build-wasm.mjs): one
// instance and one arena per process, shared by the products (kernels-wasm.ts) and the LU
// factorizations (lu-wasm.ts).

/** The part of the `WebAssembly` global used here (typed locally: the package has no DOM lib). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** The exports of assembly/kernels.ts (byte offsets into `memory`). */
export interface KernelExports extends ChainExports {
  readonly memory: LinearMemory;
  heapBase(): number;
  gemmNT(a: number, b: number, c: number, m: number, k: number, n: number): void;
  gemmNN(
    a: number,
    rsA: number,
    csA: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
  ): void;
  gram(a: number, w: number, g: number, t: number, n: number, d: number): void;
  mul(a: number, b: number, c: number, len: number): void;
  luFactor(a: number, piv: number, n: number): number;
  symTridiagonal(a: number, n: number, d: number, e: number, q: number, work: number): void;
  complexShiftFactor(
    jac: number,
    re: number,
    im: number,
    piv: number,
    n: number,
    sr: number,
    si: number,
  ): number;
  residualRows(
    x: number,
    b: number,
    y: number,
    r: number,
    rows: number,
    n: number,
    d: number,
  ): void;
  gradientColumns(
    x: number,
    r: number,
    u: number,
    rows: number,
    n: number,
    d: number,
    j0: number,
    w: number,
  ): void;
  residualGradient(
    x: number,
    b: number,
    y: number,
    r: number,
    u: number,
    rows: number,
    n: number,
    d: number,
  ): void;
}

/** `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)`: validates only with SIMD. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: { wasm: WasmApi; module: object } | string | undefined;

function compile(): { wasm: WasmApi; module: object } | string {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (typeof wasm !== 'object' || typeof wasm.validate !== 'function') {
    return 'this runtime has no WebAssembly';
  }
  try {
    if (!wasm.validate(SIMD_PROBE)) return 'this runtime has WebAssembly without SIMD';
    return { wasm, module: new wasm.Module(decodeBase64(KERNELS_WASM_BASE64)) };
  } catch (e) {
    return `the kernel module failed to load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * A new instance of the kernel module (assembly/kernels.ts), with its own linear memory, or
 * why none can run here (no WebAssembly, no SIMD, or the module failed to load). The module is
 * compiled once per process; each call instantiates it again (the products' kernels and the LU
 * factorizations share one instance, {@link kernelModule}; the FFT plans take another:
 * src/fft-wasm.ts).
 */
export function instantiateKernels<T>(): T | string {
  compiled ??= compile();
  if (typeof compiled === 'string') return compiled;
  try {
    return new compiled.wasm.Instance(compiled.module, {}).exports as T;
  } catch (e) {
    return `the kernel module failed to load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

let instance: { exports: KernelExports; arena: WasmArena } | string | undefined;

function instantiate(): { exports: KernelExports; arena: WasmArena } | string {
  const exports = instantiateKernels<KernelExports>();
  if (typeof exports === 'string') return exports;
  return { exports, arena: new WasmArena(exports.memory, exports.heapBase()) };
}

/**
 * The kernel module's exports and the arena of its linear memory, or why they cannot load here
 * (no WebAssembly, no SIMD, or a failed instantiation). Instantiated once per process; calls are
 * synchronous, so users of the one linear memory never interleave.
 */
export function kernelModule(): { exports: KernelExports; arena: WasmArena } | string {
  instance ??= instantiate();
  return instance;
}
