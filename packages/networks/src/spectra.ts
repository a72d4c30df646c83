// Products of complex spectra held as separate real and imaginary parts, shared by the
// convolutional fused evaluators (fused-convolutional.ts on full spectra, -real.ts on half
// spectra). Each entry rounds as the written formula, so both evaluators keep their roundings.

/** `c[k] = a[k]·b[k]` for `k < len` (c may be a or b). @internal */
export function mulSpectra(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  cr: Float64Array,
  ci: Float64Array,
  len: number,
): void {
  for (let k = 0; k < len; k++) {
    const xr = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    ci[k] = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    cr[k] = xr;
  }
}

/** `c[k] = u[k]·conj(b[k])` for `k < len` (c may be u or b). @internal */
export function mulConjSpectra(
  ur: Float64Array,
  ui: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  cr: Float64Array,
  ci: Float64Array,
  len: number,
): void {
  for (let k = 0; k < len; k++) {
    const xr = ur[k]! * br[k]! + ui[k]! * bi[k]!;
    ci[k] = ui[k]! * br[k]! - ur[k]! * bi[k]!;
    cr[k] = xr;
  }
}
