import { circularShape } from '@implicit-bias/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tfjs } from './tfjs-module.js';

/**
 * Circular convolution and correlation along the last axis with tfjs kernels only: one operand
 * `P` becomes a `d×d` circulant matrix by a `gather` with a fixed index table, the other operand
 * `Q` is multiplied by it (`c = Circ(P)·Q`). Gather and matmul exist on every tfjs backend and
 * are exact up to float32 rounding of the sums, unlike an FFT.
 */

/** Index rule of the circulant: entry `[i, j]` of `Circ(P)` is `P[rule(i, j) mod d]`. */
type Rule = 'diff' | 'rdiff' | 'sum';

const tables = new Map<string, Int32Array>();

function table(rule: Rule, d: number): Int32Array {
  const key = `${rule}:${d}`;
  let t = tables.get(key);
  if (t === undefined) {
    t = new Int32Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const k = rule === 'diff' ? i - j : rule === 'rdiff' ? j - i : i + j;
        t[i * d + j] = ((k % d) + d) % d;
      }
    }
    if (tables.size > 64) tables.clear();
    tables.set(key, t);
  }
  return t;
}

function leading(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length - 1; i++) n *= shape[i]!;
  return n;
}

/** `Circ(p)·q` along the last axis, broadcasting leading axes; call inside `tf.tidy`. */
function circulantTimes(
  tf: Tfjs,
  p: Tensor,
  q: Tensor,
  rule: Rule,
  out: readonly number[],
): Tensor {
  const d = out[out.length - 1]!;
  if (d === 0 || out.some((s) => s === 0)) return tf.zeros([...out], 'float32');
  const lp = leading(p.shape);
  const lq = leading(q.shape);
  const idx = tf.tensor1d(table(rule, d), 'int32');
  // circ: [...leading of p, d, d]
  const circ = tf.reshape(tf.gather(p, idx, p.rank - 1), [...p.shape.slice(0, -1), d, d]);
  if (lp === 1) {
    // every output row uses the same circulant: one matrix product q·Circᵀ
    const r = tf.matMul(tf.reshape(q, [lq, d]), tf.reshape(circ, [d, d]), false, true);
    return tf.reshape(r, [...out]);
  }
  if (lq === 1) {
    const r = tf.matMul(tf.reshape(circ, [lp * d, d]), tf.reshape(q, [d, 1]));
    return tf.reshape(r, [...out]);
  }
  const lead = out.slice(0, -1);
  const total = leading(out);
  const pb = lp === total ? circ : tf.broadcastTo(circ, [...lead, d, d]);
  const qb = lq === total ? q : tf.broadcastTo(q, [...lead, d]);
  const r = tf.matMul(tf.reshape(pb, [total, d, d]), tf.reshape(qb, [total, d, 1]));
  return tf.reshape(r, [...out]);
}

/** `c_i = Σ_j a_j b_{(i−j) mod d}`; call inside `tf.tidy`. */
export function circularConvolveTf(tf: Tfjs, a: Tensor, b: Tensor): Tensor {
  const out = circularShape(a.shape, b.shape, 'circularConvolve');
  // convolution is symmetric: make the operand with fewer rows the circulant
  return leading(a.shape) < leading(b.shape)
    ? circulantTimes(tf, a, b, 'diff', out)
    : circulantTimes(tf, b, a, 'diff', out);
}

/** `c_i = Σ_j a_{(i+j) mod d} b_j`; call inside `tf.tidy`. */
export function circularCorrelateTf(tf: Tfjs, a: Tensor, b: Tensor): Tensor {
  const out = circularShape(a.shape, b.shape, 'circularCorrelate');
  // c = Circ_sum(a)·b with Circ[i,j] = a[i+j], or c = Circ_rdiff(b)·a with Circ[i,k] = b[k−i]
  return leading(a.shape) < leading(b.shape)
    ? circulantTimes(tf, a, b, 'sum', out)
    : circulantTimes(tf, b, a, 'rdiff', out);
}
