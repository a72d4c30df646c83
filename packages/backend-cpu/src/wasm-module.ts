import { KERNELS_WASM_BASE64 } from './wasm-bytes.generated.js';

/** The part of the `WebAssembly` global used here (typed locally: the package has no DOM lib). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
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
 * compiled once per process; each call instantiates it again (the products' kernels take one
 * instance, the FFT plans another: src/fft-wasm.ts).
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
