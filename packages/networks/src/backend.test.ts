import type { Arr, Backend } from '@implicit-bias/backend';
import { key, maxViolation, normal, relativeDistance, split } from '@implicit-bias/core';
import { describeEachBackend } from '@implicit-bias/testing';
import { allCases, randomParams } from './architectures.fixture.js';
import { contractDense } from './dense.js';
import type { LinearTensorNetwork } from './types.js';

const B = 2;
const N = 3;

interface Problem {
  readonly params: Float64Array[][]; // [run][layer]
  readonly X: Float64Array[]; // [run] n×d (per-run data)
  readonly r: Float64Array; // B×n
}

function problem(net: LinearTensorNetwork, seed: number): Problem {
  const [a, b, c] = split(key(seed), 3);
  return {
    params: Array.from({ length: B }, (_, run) => randomParams(net, seed * 10 + run)),
    X: split(a!, B).map((k) => normal(k, N * net.inputDim)),
    r: normal(c!, B * N, 1 + (b!.seed % 2)),
  };
}

const row = (X: Float64Array, i: number, d: number): Float64Array => X.slice(i * d, (i + 1) * d);

function stack(vs: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(vs.reduce((s, v) => s + v.length, 0));
  let o = 0;
  for (const v of vs) {
    out.set(v, o);
    o += v.length;
  }
  return out;
}

function upload(be: Backend, net: LinearTensorNetwork, params: readonly Float64Array[][]): Arr[] {
  return net.paramSizes.map((k, l) =>
    be.fromHost(stack(params.map((p) => p[l]!)), [params.length, k]),
  );
}

/** u_b = Σ_i r_{b,i} x_{b,i} on the host. */
function inputContraction(
  net: LinearTensorNetwork,
  X: Float64Array,
  r: Float64Array,
  b: number,
): Float64Array {
  const d = net.inputDim;
  const u = new Float64Array(d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) u[j]! += r[b * N + i]! * X[i * d + j]!;
  return u;
}

describeEachBackend('networks on a backend', ({ backend, plugin, tol }) => {
  // finite differences need float64; float32 backends are held to the float64 host oracle
  const itFloat64 = plugin.precision === 'float64' ? it : it.skip;
  describe.each(allCases())('$name', ({ net }) => {
    const K = net.paramSizes.reduce((p, k) => p * k, 1);
    const ops = 4 * K * net.depth + 4 * N * net.inputDim;

    it('forward = dense data-tensor contraction per sample and run, shared and per-run X (docs/theory/tensor-formulation.md)', () => {
      const be = backend();
      const p = problem(net, 1);
      const params = upload(be, net, p.params);
      const shared = be.fromHost(p.X[0]!, [N, net.inputDim]);
      const perRun = be.fromHost(stack(p.X), [B, N, net.inputDim]);
      const fShared = be.toHostSync(net.forward(be, params, shared));
      const fPerRun = be.toHostSync(net.forward(be, params, perRun));
      const wantShared = new Float64Array(B * N);
      const wantPerRun = new Float64Array(B * N);
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < N; i++) {
          const x0 = row(p.X[0]!, i, net.inputDim);
          const xb = row(p.X[b]!, i, net.inputDim);
          wantShared[b * N + i] = contractDense(net.dataTensor(x0), p.params[b]!, -1)[0]!;
          wantPerRun[b * N + i] = contractDense(net.dataTensor(xb), p.params[b]!, -1)[0]!;
        }
      }
      expect(maxViolation(fShared, wantShared, tol(ops))).toBeLessThanOrEqual(1);
      expect(maxViolation(fPerRun, wantPerRun, tol(ops))).toBeLessThanOrEqual(1);
    });

    it('endToEnd = endToEndHost per run (host float64 oracle)', () => {
      const be = backend();
      const p = problem(net, 2);
      const beta = be.toHostSync(net.endToEnd(be, upload(be, net, p.params)));
      const want = stack(p.params.map((ps) => net.endToEndHost(ps)));
      expect(maxViolation(beta, want, tol(ops))).toBeLessThanOrEqual(1);
    });

    it('gradient = M(Xᵀr)·(v_{−l}) from contractHost, shared and per-run X (docs/theory/tensor-formulation.md)', () => {
      const be = backend();
      const p = problem(net, 3);
      const params = upload(be, net, p.params);
      const r = be.fromHost(p.r, [B, N]);
      const shared = be.fromHost(p.X[0]!, [N, net.inputDim]);
      const perRun = be.fromHost(stack(p.X), [B, N, net.inputDim]);
      for (const [X, xOf] of [
        [shared, () => p.X[0]!],
        [perRun, (b: number) => p.X[b]!],
      ] as const) {
        const grads = net.gradient(be, params, X, r);
        expect(grads.map((g) => g.shape)).toEqual(net.paramSizes.map((k) => [B, k]));
        for (let l = 0; l < net.depth; l++) {
          const got = be.toHostSync(grads[l]!);
          const want = stack(
            p.params.map((ps, b) => net.contractHost(inputContraction(net, xOf(b), p.r, b), ps, l)),
          );
          expect(maxViolation(got, want, tol(ops))).toBeLessThanOrEqual(1);
        }
      }
    });

    itFloat64(
      'gradient = central finite differences of Σ_i r_i f(x_i) (float64, rel ≤ 1e-7)',
      () => {
        const be = backend();
        const p = problem(net, 4);
        const X = be.fromHost(stack(p.X), [B, N, net.inputDim]);
        const objective = (params: Float64Array[][]): Float64Array => {
          const f = be.toHostSync(net.forward(be, upload(be, net, params), X));
          return Float64Array.from({ length: B }, (_, b) => {
            let s = 0;
            for (let i = 0; i < N; i++) s += p.r[b * N + i]! * f[b * N + i]!;
            return s;
          });
        };
        const grads = net.gradient(be, upload(be, net, p.params), X, be.fromHost(p.r, [B, N]));
        const h = 1e-3;
        for (let l = 0; l < net.depth; l++) {
          const k = net.paramSizes[l]!;
          const got = be.toHostSync(grads[l]!);
          const fd = new Float64Array(B * k);
          for (let i = 0; i < k; i++) {
            const shift = (s: number) =>
              p.params.map((ps) =>
                ps.map((v, m) => (m === l ? v.map((x, j) => (j === i ? x + s : x)) : v)),
              );
            const plus = objective(shift(h));
            const minus = objective(shift(-h));
            for (let b = 0; b < B; b++) fd[b * k + i] = (plus[b]! - minus[b]!) / (2 * h);
          }
          expect(relativeDistance(got, fd)).toBeLessThanOrEqual(1e-7);
        }
      },
    );

    it('frees every intermediate (live arrays, where the backend tracks them)', () => {
      const be = backend();
      const p = problem(net, 5);
      const params = upload(be, net, p.params);
      const X = be.fromHost(p.X[0]!, [N, net.inputDim]);
      const r = be.fromHost(p.r, [B, N]);
      const before = be.liveArrays();
      const outs = [
        net.forward(be, params, X),
        net.endToEnd(be, params),
        ...net.gradient(be, params, X, r),
      ];
      const after = be.liveArrays();
      if (before !== undefined) expect(after).toBe(before + outs.length);
      be.dispose(outs);
      expect(be.toHostSync(params[0]!)).toHaveLength(B * net.paramSizes[0]!);
      be.dispose([...params, X, r]);
    });
  });
});
