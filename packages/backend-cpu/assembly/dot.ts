// The dot-product building blocks of the kernel module (see kernels.ts), inlined into their
// callers (`@inline`: a call per row of a narrow matrix, as in a small network's layers, cost
// as much as its arithmetic). AssemblyScript's decorators on functions are not TypeScript
// syntax, so prettier skips this file (.prettierignore).

/** Dot product of two length-k vectors at `a` and `b`, four f64x2 accumulators. */
// @ts-ignore: decorator
@inline
export function dot(a: usize, b: usize, k: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  const k8 = k & ~7;
  let p = 0;
  for (; p < k8; p += 8) {
    const o = (<usize>p) << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(a + o, 32), v128.load(b + o, 32)));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; p < k; p++) {
    const o = (<usize>p) << 3;
    r += load<f64>(a + o) * load<f64>(b + o);
  }
  return r;
}

/**
 * Two dot products sharing the loads of `b`: `a·b` into `c` and `a2·b` into `c2`, each summed
 * in exactly the order of {@link dot} (so each rounds as `dot` alone).
 */
// @ts-ignore: decorator
@inline
export function dot2(a: usize, a2: usize, b: usize, k: i32, c: usize, c2: usize): void {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let t0 = f64x2.splat(0);
  let t1 = f64x2.splat(0);
  let t2 = f64x2.splat(0);
  let t3 = f64x2.splat(0);
  const k8 = k & ~7;
  let p = 0;
  for (; p < k8; p += 8) {
    const o = (<usize>p) << 3;
    const x0 = v128.load(b + o);
    const x1 = v128.load(b + o, 16);
    const x2 = v128.load(b + o, 32);
    const x3 = v128.load(b + o, 48);
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), x0));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), x1));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(a + o, 32), x2));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(a + o, 48), x3));
    t0 = f64x2.add(t0, f64x2.mul(v128.load(a2 + o), x0));
    t1 = f64x2.add(t1, f64x2.mul(v128.load(a2 + o, 16), x1));
    t2 = f64x2.add(t2, f64x2.mul(v128.load(a2 + o, 32), x2));
    t3 = f64x2.add(t3, f64x2.mul(v128.load(a2 + o, 48), x3));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  const t = f64x2.add(f64x2.add(t0, t1), f64x2.add(t2, t3));
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  let r2 = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; p < k; p++) {
    const o = (<usize>p) << 3;
    const x = load<f64>(b + o);
    r += load<f64>(a + o) * x;
    r2 += load<f64>(a2 + o) * x;
  }
  store<f64>(c, r);
  store<f64>(c2, r2);
}

