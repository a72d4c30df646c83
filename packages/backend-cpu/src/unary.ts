/** A kernel from input entries to a new output array. */
export type UnaryKernel = (a: Float64Array) => Float64Array;

function map(a: Float64Array, f: (x: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
  return out;
}

/** `s·a`. */
export function scaleKernel(a: Float64Array, s: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * s;
  return out;
}

/** `a + s`. */
export function addScalarKernel(a: Float64Array, s: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + s;
  return out;
}

/** `a^p` (squares by one multiplication, the rest through `Math.pow`). */
export function powKernel(a: Float64Array, p: number): Float64Array {
  if (p === 2) return squareKernel(a);
  if (p === 1) return a.slice();
  if (p === 0.5) return map(a, Math.sqrt);
  return map(a, (x) => Math.pow(x, p));
}

/** `a²`. */
export function squareKernel(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * a[i]!;
  return out;
}

/** Logistic sigmoid, evaluated on the side where `e^{−|x|}` cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `log(1 + e^x) = max(x, 0) + log1p(e^{−|x|})`: no overflow, full accuracy for x ≪ 0. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** Sign with `sign(±0) = 0`. */
function signOf(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x;
}

/** The parameter-free unary kernels, by name. */
export const UNARY: Readonly<
  Record<
    'neg' | 'abs' | 'sign' | 'square' | 'sqrt' | 'exp' | 'log' | 'sigmoid' | 'softplus',
    UnaryKernel
  >
> = {
  neg: (a) => scaleKernel(a, -1),
  abs: (a) => map(a, Math.abs),
  sign: (a) => map(a, signOf),
  square: squareKernel,
  sqrt: (a) => map(a, Math.sqrt),
  exp: (a) => map(a, Math.exp),
  log: (a) => map(a, Math.log),
  sigmoid: (a) => map(a, sigmoid),
  softplus: (a) => map(a, softplus),
};
