import { ImplicitBiasError, sizeOf } from '@implicit-bias/core';
import { broadcastShapes, matmulShape, normalizeAxis } from '@implicit-bias/backend';
import type { Arr, Backend, MatmulOptions } from '@implicit-bias/backend';
import type { Tensor, TensorContainer } from '@tensorflow/tfjs-core';
import { circularConvolveTf, circularCorrelateTf } from './circular.js';
import type { Tfjs } from './tfjs-module.js';
import { OwnedTensors } from './owned-tensors.js';
import { checkPerm, concatAxis, gatherAxis, padArgs, reshapeShape, sliceArgs } from './validate.js';

/** Options of {@link createTfjsBackend}. */
export interface TfjsBackendOptions {
  /** The implicit-bias backend id to report (`'tfjs-cpu'`, `'wasm'`, `'webgl'`, …). */
  readonly id: string;
  /** The name the tfjs backend is registered under in `tf` (`'cpu'`, `'wasm'`, `'webgl'`, …). */
  readonly tfBackendName: string;
}

/**
 * Adapt a registered, initialized tfjs backend to the implicit-bias {@link Backend} contract
 * (float32: host data is rounded to float32 on the way in and read back as float64).
 *
 * The tfjs engine is global, so every op first makes `options.tfBackendName` the active tfjs
 * backend: instances on different tfjs backends (say cpu and wasm) can be used side by side.
 * Arrays are `tf.Tensor`s; `scope` is `tf.tidy`; `liveArrays()` counts every tensor of the tfjs
 * engine (all tfjs backends together).
 *
 * @param tf - the `@tensorflow/tfjs-core` module the backend is registered in.
 * @param options - ids; await `tf.setBackend(name)` once before for backends that initialize
 *   asynchronously (wasm).
 * @throws ImplicitBiasError `BACKEND_UNAVAILABLE` when the tfjs backend is not registered or not
 *   initialized yet.
 */
export function createTfjsBackend(tf: Tfjs, options: TfjsBackendOptions): Backend {
  const { id, tfBackendName: name } = options;
  const engine = tf.engine();
  const kernelBackend = tf.findBackend(name) as ReturnType<Tfjs['findBackend']> | null;
  if (kernelBackend === null || kernelBackend === undefined) {
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      `the tfjs backend '${name}' is not registered or not initialized; import its package and ` +
        `await tf.setBackend('${name}') before creating the implicit-bias backend`,
      { path: id },
    );
  }
  const owned = new OwnedTensors();
  let closed = false;

  /** Make our tfjs backend the active one (synchronous once it is initialized). */
  function use(op: string): void {
    if (closed) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the ${id} backend was closed; create a new one`,
        { path: op },
      );
    }
    if (engine.backendName !== name) void engine.setBackend(name);
  }

  function t(a: Arr, op: string): Tensor {
    const info =
      a instanceof tf.Tensor && !a.isDisposed ? engine.state.tensorInfo.get(a.dataId) : undefined;
    if (info === undefined || info.backend !== kernelBackend) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the array was disposed or was not created by this ${id} backend; keep arrays alive ` +
          'until their last use and pass only arrays of this backend',
        { path: op },
      );
    }
    return a as Tensor;
  }

  /**
   * Run one op on our tfjs backend and record its result. Every tfjs op frees its own
   * intermediates; `composite` ops (several tfjs ops, or host scalars turned into tensors)
   * run inside `tf.tidy` so their temporaries are freed too.
   */
  function run(op: string, fn: () => Tensor, composite = false): Arr {
    use(op);
    return owned.add(composite ? tf.tidy(fn) : fn());
  }

  function unary(op: string, a: Arr, f: (x: Tensor) => Tensor, composite = false): Arr {
    const x = t(a, op);
    return run(op, () => f(x), composite);
  }

  function binary(op: string, a: Arr, b: Arr, f: (x: Tensor, y: Tensor) => Tensor): Arr {
    const x = t(a, op);
    const y = t(b, op);
    broadcastShapes(x.shape, y.shape, op);
    return run(op, () => f(x, y));
  }

  function finiteScalar(s: number, op: string): number {
    if (!Number.isFinite(s)) {
      throw new ImplicitBiasError('NON_FINITE', `the scalar is ${s}; pass a finite number`, {
        path: op,
      });
    }
    return s;
  }

  function reduce(
    op: string,
    a: Arr,
    axis: number,
    keepDims: boolean | undefined,
    f: (x: Tensor, ax: number, keep: boolean) => Tensor,
    composite = false,
  ): Arr {
    const x = t(a, op);
    const ax = normalizeAxis(axis, x.rank, op);
    return run(op, () => f(x, ax, keepDims ?? false), composite);
  }

  return {
    id,
    precision: 'float32',

    fromHost(data, shape) {
      const n = sizeOf(shape, 'fromHost');
      if (data.length !== n) {
        throw new ImplicitBiasError(
          'SHAPE_MISMATCH',
          `${data.length} values do not fill shape [${shape.join(', ')}] (${n} entries)`,
          { path: 'fromHost' },
        );
      }
      const f32 = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        f32[i] = v;
        if (!Number.isFinite(f32[i]!)) {
          throw new ImplicitBiasError(
            'NON_FINITE',
            Number.isFinite(v)
              ? `entry ${i} is ${v}, beyond the float32 range (±3.4e38); rescale the data`
              : `entry ${i} is ${String(v)}; every value must be a finite number`,
            { path: 'fromHost' },
          );
        }
      }
      return run('fromHost', () => tf.tensor(f32, [...shape], 'float32'));
    },
    fill(shape, value = 0) {
      sizeOf(shape, 'fill');
      const v = finiteScalar(value, 'fill');
      return run('fill', () => tf.fill([...shape], v, 'float32'));
    },
    async toHost(a) {
      const x = t(a, 'toHost');
      use('toHost');
      return Float64Array.from((await x.data()) as Float32Array);
    },
    toHostSync(a) {
      const x = t(a, 'toHostSync');
      use('toHostSync');
      return Float64Array.from(x.dataSync() as Float32Array);
    },

    reshape(a, shape) {
      const x = t(a, 'reshape');
      const to = reshapeShape(x.shape, shape);
      return run('reshape', () => tf.reshape(x, to));
    },
    slice(a, begin, size) {
      const x = t(a, 'slice');
      const [b, s] = sliceArgs(x.shape, begin, size);
      return run('slice', () => tf.slice(x, b, s));
    },
    concat(arrs, axis) {
      const xs = arrs.map((a) => t(a, 'concat'));
      const ax = concatAxis(
        xs.map((x) => x.shape),
        axis,
      );
      return run('concat', () => tf.concat(xs, ax));
    },
    gather(a, indices, axis) {
      const x = t(a, 'gather');
      const ax = gatherAxis(x.shape, indices, axis);
      return run('gather', () => tf.gather(x, tf.tensor1d([...indices], 'int32'), ax), true);
    },
    transpose(a, perm) {
      const x = t(a, 'transpose');
      const p = checkPerm(x.rank, perm);
      return run('transpose', () => tf.transpose(x, p));
    },
    pad(a, paddings) {
      const x = t(a, 'pad');
      const p = padArgs(x.shape, paddings);
      return run('pad', () => tf.pad(x, p, 0));
    },

    add: (a, b) => binary('add', a, b, (x, y) => tf.add(x, y)),
    sub: (a, b) => binary('sub', a, b, (x, y) => tf.sub(x, y)),
    mul: (a, b) => binary('mul', a, b, (x, y) => tf.mul(x, y)),
    div: (a, b) => binary('div', a, b, (x, y) => tf.div(x, y)),
    maximum: (a, b) => binary('maximum', a, b, (x, y) => tf.maximum(x, y)),
    scale(a, s) {
      const v = finiteScalar(s, 'scale');
      return unary('scale', a, (x) => tf.mul(x, tf.scalar(v, 'float32')), true);
    },
    addScalar(a, s) {
      const v = finiteScalar(s, 'addScalar');
      return unary('addScalar', a, (x) => tf.add(x, tf.scalar(v, 'float32')), true);
    },
    neg: (a) => unary('neg', a, (x) => tf.neg(x)),
    abs: (a) => unary('abs', a, (x) => tf.abs(x)),
    sign: (a) => unary('sign', a, (x) => tf.sign(x)),
    square: (a) => unary('square', a, (x) => tf.square(x)),
    sqrt: (a) => unary('sqrt', a, (x) => tf.sqrt(x)),
    pow(a, p) {
      const v = finiteScalar(p, 'pow');
      return unary(
        'pow',
        a,
        (x) =>
          v === 2 ? tf.square(x) : v === 1 ? tf.clone(x) : tf.pow(x, tf.scalar(v, 'float32')),
        true,
      );
    },
    exp: (a) => unary('exp', a, (x) => tf.exp(x)),
    log: (a) => unary('log', a, (x) => tf.log(x)),
    sigmoid: (a) => unary('sigmoid', a, (x) => tf.sigmoid(x)),
    softplus: (a) => unary('softplus', a, (x) => tf.softplus(x)),

    sum: (a, axis, keepDims) => reduce('sum', a, axis, keepDims, (x, ax, k) => tf.sum(x, ax, k)),
    max: (a, axis, keepDims) => reduce('max', a, axis, keepDims, (x, ax, k) => tf.max(x, ax, k)),
    min: (a, axis, keepDims) => reduce('min', a, axis, keepDims, (x, ax, k) => tf.min(x, ax, k)),
    logSumExp: (a, axis, keepDims) =>
      reduce('logSumExp', a, axis, keepDims, (x, ax, k) => tf.logSumExp(x, ax, k)),
    softmax: (a, axis) =>
      reduce(
        'softmax',
        a,
        axis,
        true,
        (x, ax) => tf.exp(tf.sub(x, tf.logSumExp(x, ax, true))),
        true,
      ),

    matmul(a, b, o: MatmulOptions = {}) {
      const x = t(a, 'matmul');
      const y = t(b, 'matmul');
      const ta = o.transposeA ?? false;
      const tb = o.transposeB ?? false;
      const s = matmulShape(x.shape, y.shape, ta, tb);
      return run(
        'matmul',
        () => {
          if (x.rank === 3 && y.rank === 2 && !ta) {
            // [B,m,k]·[k,n] is one plain product of the stacked rows
            const r = tf.matMul(tf.reshape(x, [s.batch * s.m, s.k]), y, false, tb);
            return tf.reshape(r, s.out);
          }
          return tf.matMul(x, y, ta, tb);
        },
        x.rank === 3 && y.rank === 2 && !ta,
      );
    },
    circularConvolve(a, b) {
      const x = t(a, 'circularConvolve');
      const y = t(b, 'circularConvolve');
      return run('circularConvolve', () => circularConvolveTf(tf, x, y), true);
    },
    circularCorrelate(a, b) {
      const x = t(a, 'circularCorrelate');
      const y = t(b, 'circularCorrelate');
      return run('circularCorrelate', () => circularCorrelateTf(tf, x, y), true);
    },

    scope<T>(fn: () => T): T {
      // The result leaves through the closure and tidy keeps only the tensors found in it:
      // tf.tidy walks its return value entry by entry, typed arrays included, which cost
      // ~0.2 s per 250k-entry host result.
      let out: T | undefined;
      tf.tidy(() => {
        out = fn();
        return tensorsIn(tf, out, []) as unknown as TensorContainer;
      });
      return out as T;
    },
    dispose(arrs) {
      const list: readonly Arr[] = Array.isArray(arrs) ? arrs : [arrs as Arr];
      for (const a of list) {
        if (a instanceof tf.Tensor) {
          owned.delete(a);
          a.dispose();
        }
      }
    },
    liveArrays: () => engine.state.numTensors,
    close() {
      if (!closed) {
        owned.disposeAll();
        closed = true;
      }
      return Promise.resolve();
    },
  };
}

/**
 * The tensors of a scope's result, where the contract lets them be: the value itself, or inside
 * arrays and plain objects (nested). Typed arrays and other objects are not walked.
 */
function tensorsIn(tf: Tfjs, v: unknown, acc: Tensor[]): Tensor[] {
  if (v instanceof tf.Tensor) acc.push(v);
  else if (Array.isArray(v)) for (const x of v as unknown[]) tensorsIn(tf, x, acc);
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) tensorsIn(tf, x, acc);
  }
  return acc;
}
