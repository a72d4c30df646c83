// Dense LU factorizations of the kernel module (see kernels.ts for the conventions): Gaussian
// elimination with partial pivoting of a real n×n matrix and of the complex shifted matrix
// `(sr + i·si)·I − J` that radau5's Newton systems need (@implicit-bias/flow's lu.ts and
// radau5-linear.ts are the JavaScript originals). Every operation is the JavaScript one, lane by
// lane: pivots are chosen by the same rule (the first largest |a| for real matrices, LINPACK's
// |re| + |im| for complex ones), multipliers are divided the same way and each update
// `a − m·u` (complex: `re − (mr·ur − mi·ui)`, `im − (mr·ui + mi·ur)`) rounds as there (no
// fused multiply-add), so the factors equal the JavaScript ones bit for bit.

/** `row[j] −= m·u[j]` for j in [0, len) (byte pointers; unaligned loads are fine). */
export function axpy1(row: usize, u: usize, m: f64, len: i32): void {
  const mv = f64x2.splat(m);
  const l2 = len & ~1;
  let j = 0;
  for (; j < l2; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(mv, v128.load(u + o))));
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    store<f64>(row + o, load<f64>(row + o) - m * load<f64>(u + o));
  }
}

/** {@link axpy1} on two rows at once, sharing the loads of `u`. */
function axpy2(r0: usize, r1: usize, u: usize, m0: f64, m1: f64, len: i32): void {
  const a = f64x2.splat(m0);
  const b = f64x2.splat(m1);
  const l2 = len & ~1;
  let j = 0;
  for (; j < l2; j += 2) {
    const o = (<usize>j) << 3;
    const x = v128.load(u + o);
    v128.store(r0 + o, f64x2.sub(v128.load(r0 + o), f64x2.mul(a, x)));
    v128.store(r1 + o, f64x2.sub(v128.load(r1 + o), f64x2.mul(b, x)));
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    const x = load<f64>(u + o);
    store<f64>(r0 + o, load<f64>(r0 + o) - m0 * x);
    store<f64>(r1 + o, load<f64>(r1 + o) - m1 * x);
  }
}

function swapRows(a: usize, b: usize, len: i32): void {
  const l2 = len & ~1;
  let j = 0;
  for (; j < l2; j += 2) {
    const o = (<usize>j) << 3;
    const t = v128.load(a + o);
    v128.store(a + o, v128.load(b + o));
    v128.store(b + o, t);
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    const t = load<f64>(a + o);
    store<f64>(a + o, load<f64>(b + o));
    store<f64>(b + o, t);
  }
}

/**
 * Factor the row-major n×n matrix at `a` in place (`P·A = L·U`, L unit lower below the diagonal,
 * U on and above it) and write the row permutation (i32) at `piv`: row i of `P·A` is row
 * `piv[i]` of A. Returns 1, or 0 when a pivot is zero or not finite (that column is skipped).
 */
export function luFactor(a: usize, piv: usize, n: i32): i32 {
  const row = (<usize>n) << 3;
  for (let i = 0; i < n; i++) store<i32>(piv + ((<usize>i) << 2), i);
  let ok = 1;
  for (let k = 0; k < n; k++) {
    const rk = a + <usize>k * row;
    const ck = (<usize>k) << 3;
    let p = k;
    let best = abs<f64>(load<f64>(rk + ck));
    for (let i = k + 1; i < n; i++) {
      const v = abs<f64>(load<f64>(a + <usize>i * row + ck));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !isFinite<f64>(best)) {
      ok = 0;
      continue;
    }
    if (p != k) {
      swapRows(rk, a + <usize>p * row, n);
      const pk = piv + ((<usize>k) << 2);
      const pp = piv + ((<usize>p) << 2);
      const t = load<i32>(pk);
      store<i32>(pk, load<i32>(pp));
      store<i32>(pp, t);
    }
    const pivot = load<f64>(rk + ck);
    const u = rk + ck + 8;
    const len = n - k - 1;
    let i = k + 1;
    for (; i + 1 < n; i += 2) {
      const r0 = a + <usize>i * row + ck;
      const r1 = r0 + row;
      const m0 = load<f64>(r0) / pivot;
      const m1 = load<f64>(r1) / pivot;
      store<f64>(r0, m0);
      store<f64>(r1, m1);
      // a zero multiplier leaves its row as it is (as the JavaScript skips it: −0 stays −0)
      if (m0 != 0 && m1 != 0) axpy2(r0 + 8, r1 + 8, u, m0, m1, len);
      else {
        if (m0 != 0) axpy1(r0 + 8, u, m0, len);
        if (m1 != 0) axpy1(r1 + 8, u, m1, len);
      }
    }
    if (i < n) {
      const r0 = a + <usize>i * row + ck;
      const m0 = load<f64>(r0) / pivot;
      store<f64>(r0, m0);
      if (m0 != 0) axpy1(r0 + 8, u, m0, len);
    }
  }
  return ok;
}

/** `(xr, xi)[j] −= (mr + i·mi)·(ur, ui)[j]` for j in [0, len), the JavaScript's roundings. */
function caxpy(xr: usize, xi: usize, ur: usize, ui: usize, mr: f64, mi: f64, len: i32): void {
  const a = f64x2.splat(mr);
  const b = f64x2.splat(mi);
  const l2 = len & ~1;
  let j = 0;
  for (; j < l2; j += 2) {
    const o = (<usize>j) << 3;
    const vr = v128.load(ur + o);
    const vi = v128.load(ui + o);
    const pr = f64x2.sub(f64x2.mul(a, vr), f64x2.mul(b, vi));
    const pi = f64x2.add(f64x2.mul(a, vi), f64x2.mul(b, vr));
    v128.store(xr + o, f64x2.sub(v128.load(xr + o), pr));
    v128.store(xi + o, f64x2.sub(v128.load(xi + o), pi));
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    const vr = load<f64>(ur + o);
    const vi = load<f64>(ui + o);
    store<f64>(xr + o, load<f64>(xr + o) - (mr * vr - mi * vi));
    store<f64>(xi + o, load<f64>(xi + o) - (mr * vi + mi * vr));
  }
}

/**
 * Write `(sr + i·si)·I − J` for the row-major n×n real J at `jac` as real parts at `re` and
 * imaginary parts at `im`, and factor it in place as {@link luFactor} does, pivoting by
 * `|re| + |im|`. Returns 1, or 0 when a pivot is zero or not finite.
 */
export function complexShiftFactor(
  jac: usize,
  re: usize,
  im: usize,
  piv: usize,
  n: i32,
  sr: f64,
  si: f64,
): i32 {
  const row = (<usize>n) << 3;
  const nn = n * n;
  const zero = f64x2.splat(0);
  const l2 = nn & ~1;
  let q = 0;
  for (; q < l2; q += 2) {
    const o = (<usize>q) << 3;
    v128.store(re + o, f64x2.neg(v128.load(jac + o)));
    v128.store(im + o, zero);
  }
  if (q < nn) {
    const o = (<usize>q) << 3;
    store<f64>(re + o, -load<f64>(jac + o));
    store<f64>(im + o, 0);
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i * row + ((<usize>i) << 3);
    store<f64>(re + o, load<f64>(re + o) + sr);
    store<f64>(im + o, si);
    store<i32>(piv + ((<usize>i) << 2), i);
  }
  let ok = 1;
  for (let k = 0; k < n; k++) {
    const ok_ = <usize>k * row + ((<usize>k) << 3);
    let p = k;
    let best = abs<f64>(load<f64>(re + ok_)) + abs<f64>(load<f64>(im + ok_));
    for (let i = k + 1; i < n; i++) {
      const o = <usize>i * row + ((<usize>k) << 3);
      const v = abs<f64>(load<f64>(re + o)) + abs<f64>(load<f64>(im + o));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !isFinite<f64>(best)) {
      ok = 0;
      continue;
    }
    if (p != k) {
      const rk = <usize>k * row;
      const rp = <usize>p * row;
      swapRows(re + rk, re + rp, n);
      swapRows(im + rk, im + rp, n);
      const pk = piv + ((<usize>k) << 2);
      const pp = piv + ((<usize>p) << 2);
      const t = load<i32>(pk);
      store<i32>(pk, load<i32>(pp));
      store<i32>(pp, t);
    }
    const pr = load<f64>(re + ok_);
    const pi = load<f64>(im + ok_);
    const d = pr * pr + pi * pi;
    const len = n - k - 1;
    for (let i = k + 1; i < n; i++) {
      const o = <usize>i * row + ((<usize>k) << 3);
      const ar = load<f64>(re + o);
      const ai = load<f64>(im + o);
      if (ar == 0 && ai == 0) continue;
      const mr = (ar * pr + ai * pi) / d;
      const mi = (ai * pr - ar * pi) / d;
      store<f64>(re + o, mr);
      store<f64>(im + o, mi);
      caxpy(re + o + 8, im + o + 8, re + ok_ + 8, im + ok_ + 8, mr, mi, len);
    }
  }
  return ok;
}
