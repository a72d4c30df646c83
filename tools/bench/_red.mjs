import { relativeDistance } from '@implicit-bias/core';
import { gaussianRegression } from '@implicit-bias/datasets';
import { solveReducedFlow } from '@implicit-bias/experiments';
import { diagonal } from '@implicit-bias/networks';
import { predictRegressionQ } from '@implicit-bias/theory';
const [L, alpha, method] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const ds = gaussianRegression({ n: 100, d: 1000, seed: 1, sparsity: 5 });
const pred = predictRegressionQ({ A: ds.X, y: ds.y, L, alpha });
const times = [];
for (let t = 1e-2; t < 1e7; t *= 1.25) times.push(t);
const t0 = performance.now();
let hit;
const res = solveReducedFlow(
  { network: diagonal({ dim: 1000, depth: L }), X: ds.X, y: ds.y, alpha },
  {
    times,
    method,
    rtol: 1e-7,
    atol: 1e-12,
    jacobianDropTol: 1e-10,
    onPoint: (p) => {
      const err = relativeDistance(p.beta, pred.rho);
      const w = (performance.now() - t0) / 1e3;
      if (err <= 1e-6) {
        hit = { w, t: p.time, f: p.fieldEvals, j: p.gramEvaluations, s: p.accepted };
        return true;
      }
      return w > 60;
    },
  },
);
console.log(
  L,
  alpha,
  method,
  JSON.stringify(hit ?? 'not reached'),
  ((performance.now() - t0) / 1e3).toFixed(2),
  's',
);
