import { describeEachBackend } from '@implicit-bias/testing';
import { maxViolation } from '@implicit-bias/core';
import { lossTerms, type LossName } from './losses.js';

const f = [
  [0.5, -1.2, 3, 0.1],
  [800, 900, 1000, -2],
];
const y = [1, -1, 1, -1];

/** Host float64 oracle straight from the definitions (docs/theory/tensor-formulation.md), in log space where needed. */
function oracle(
  loss: LossName,
  row: readonly number[],
): { logLoss: number; r: number[]; rn: number[]; margin: number } {
  const m = row.map((v, i) => v * y[i]!);
  const sp = (z: number): number =>
    z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  if (loss === 'squared') {
    const res = row.map((v, i) => y[i]! - v);
    const l = 0.5 * res.reduce((s, v) => s + v * v, 0);
    return {
      logLoss: Math.log(l),
      r: res,
      rn: res.map((v) => v / l),
      margin: -Math.max(...res.map(Math.abs)),
    };
  }
  const logEll = m.map((mi) => (loss === 'exponential' ? -mi : Math.log(sp(-mi))));
  const top = Math.max(...logEll);
  const logLoss = top + Math.log(logEll.reduce((s, v) => s + Math.exp(v - top), 0));
  const logDeriv = m.map((mi) => (loss === 'exponential' ? -mi : -sp(mi)));
  return {
    logLoss,
    r: logDeriv.map((ld, i) => y[i]! * Math.exp(ld)),
    rn: logDeriv.map((ld, i) => y[i]! * Math.exp(ld - logLoss)),
    margin: Math.min(...m),
  };
}

describeEachBackend('lossTerms against host definitions (closed form)', ({ backend, tol }) => {
  it.each(['squared', 'exponential', 'logistic'] as const)(
    '%s: r, normalized r, log-loss, margin',
    (loss) => {
      const be = backend();
      const fa = be.fromHost(f.flat(), [2, 4]);
      const ya = be.fromHost(y, [4]);
      const t = lossTerms(be, loss, fa, ya, false);
      const tn = lossTerms(be, loss, fa, ya, true);
      const r = be.toHostSync(t.r);
      const rn = be.toHostSync(tn.r);
      const ll = be.toHostSync(t.logLoss);
      const mg = be.toHostSync(t.margin);
      const rows = loss === 'squared' ? [0] : [0, 1]; // squared at outputs ~1e3 is checked by row 0 only
      for (const b of rows) {
        const o = oracle(loss, f[b]!);
        expect(maxViolation(r.slice(4 * b, 4 * b + 4), o.r, tol(64))).toBeLessThanOrEqual(1);
        expect(maxViolation(rn.slice(4 * b, 4 * b + 4), o.rn, tol(64))).toBeLessThanOrEqual(1);
        expect(maxViolation([ll[b]!], [o.logLoss], tol(64))).toBeLessThanOrEqual(1);
        expect(maxViolation([mg[b]!], [o.margin], tol(16))).toBeLessThanOrEqual(1);
      }
    },
  );
  it('log-loss stays exact at margins where exp underflows (exponential and logistic, margin 1e4)', () => {
    const be = backend();
    const fa = be.fromHost([1e4, -2e4], [1, 2]);
    const ya = be.fromHost([1, -1], [2]);
    for (const loss of ['exponential', 'logistic'] as const) {
      const t = lossTerms(be, loss, fa, ya, true);
      const ll = be.toHostSync(t.logLoss)[0]!;
      // log(e^{-1e4} + e^{-2e4}) = -1e4 + log1p(e^{-1e4}) = -1e4
      expect(maxViolation([ll], [-1e4], tol(8))).toBeLessThanOrEqual(1);
      const rn = be.toHostSync(t.r);
      expect(maxViolation(rn, [1, 0], tol(8))).toBeLessThanOrEqual(1);
      expect(be.toHostSync(t.loss)[0]).toBe(0);
    }
  });
});
