import { matrixFromRows, oneMinusCos } from '@implicit-bias/core';
import { localStationaryPoint, localStationaryPointFourier } from './local-stationary-point.js';
import { stationaryMaxMarginLp } from './stationary-max-margin-lp.js';
import { stationaryMaxMarginFourierLp } from './stationary-max-margin-fourier-lp.js';
import { maxMarginL1 } from './max-margin-l1.js';
import { maxMarginFourierL1 } from './max-margin-fourier-l1.js';
import { certifyKkt } from '../certificates/kkt-certificate.js';
import { plantedData, relErr } from '../oracles.test.helpers.js';

/**
 * The suite's diagonal L = 3 classification case (separable-classification n = 10, d = 6, seed 0,
 * gaussian init 0.1) and the direction gradient flow reached at margin 1e4 (float64, rtol 1e−10;
 * written by a node run of compareRun, issue #22).
 */
const X = {
  rows: 10,
  cols: 6,
  data: Float64Array.from([
    1.8357238390204313, -0.6450114518653395, -0.08670111632328095, -0.5059707199725455,
    0.24074749722370825, -0.5599591500375551, -0.5303164840113305, -0.2974734515915927,
    -0.7785928450313861, 0.07059433721354977, -0.6299856626824791, -0.8177699872322648,
    -1.6866205236886997, 0.49885354094770445, 1.0120026600406271, -1.1122736181638613,
    0.8401139244200264, 1.2611894295340393, 0.08245351780016814, 0.591625882099222,
    -0.4857412740265793, -0.1273591309333855, -1.0110452436725645, -0.6102543085234561,
    -0.03524464768770337, -0.4770803183526308, -1.0005963520409709, -0.5840161618765901,
    1.0218239272259673, 1.7711768105844528, 1.027919678662462, 0.29558028738727604,
    0.17394019485015716, -0.37376457758635656, 0.14432216002069875, -0.29321063925633084,
    -0.6974494655184881, 0.7111417841901284, -0.11272876395291874, -0.49457945487422356,
    -0.06794586902428733, 0.25702407793606097, -0.32449629427512583, 1.1489751628435252,
    0.45476751089223055, 0.5744647869576879, -0.7713593493281988, -0.22614242569417498,
    1.1725784772164904, 0.7402392301408091, 0.8264414411277436, -1.1401726329077433,
    -0.3805409699437558, -0.6127906186169955, -0.6689222820084872, -0.1083039845387851,
    0.630797864825455, 0.5104457751859686, -0.4584163543859227, -0.48232638729946764,
  ]),
};
const y = [-1, -1, 1, -1, 1, 1, 1, 1, 1, -1];
const trained = [
  -0.002130794214368143, 27308.68589441795, 6.094680977680648, -0.006614958010563566,
  26138.46072174789, -0.0000014773093666707376,
];

describe('localStationaryPoint (warm start)', () => {
  test('issue #22 case: from the trained direction, the 2-sparse KKT point equals its closed form and is ≤ 1e−5 away (1 − cos)', () => {
    const r = localStationaryPoint({ Z: X, y, L: 3, start: trained });
    expect(r.status).toBe('converged');
    expect(r.support).toEqual([1, 4]);
    expect(r.activeSet).toEqual([3, 8]);
    // closed form (Cramer's rule): y_i x_i,S ρ_S = 1 on the two active samples, and the
    // multipliers of (2/3) ρ_j^{−1/3} = Σ_i μ_i y_i x_ij are positive
    const a = (i: number, j: number) => y[i]! * X.data[i * 6 + j]!;
    const det = a(3, 1) * a(8, 4) - a(3, 4) * a(8, 1);
    const r1 = (a(8, 4) - a(3, 4)) / det;
    const r4 = (a(3, 1) - a(8, 1)) / det;
    expect(relErr(r.point, [0, r1, 0, 0, r4, 0])).toBeLessThan(1e-13);
    const g1 = (2 / 3) * Math.sign(r1) * Math.pow(Math.abs(r1), -1 / 3);
    const g4 = (2 / 3) * Math.sign(r4) * Math.pow(Math.abs(r4), -1 / 3);
    const mu3 = (g1 * a(8, 4) - g4 * a(8, 1)) / det;
    const mu8 = (a(3, 1) * g4 - a(3, 4) * g1) / det;
    expect(mu3).toBeGreaterThan(0);
    expect(mu8).toBeGreaterThan(0);
    expect(relErr(r.mu, [mu3, mu8])).toBeLessThan(1e-12);
    expect(r.kkt.certified).toBe(true);
    expect(oneMinusCos(trained, r.point)).toBeLessThan(1e-5);
  });

  test('issue #22 case: the default predictor (reweighted ℓ1, ε from 0.1·max) leaves that support for another certified KKT point', async () => {
    const local = localStationaryPoint({ Z: X, y, L: 3, start: trained });
    const predictor = await stationaryMaxMarginLp({ Z: X, y, L: 3, start: trained });
    const cert = certifyKkt({ Z: X, y, rho: predictor.rho, L: 3 });
    expect(cert.certified).toBe(true);
    expect(predictor.rho[2]).not.toBe(0);
    expect(oneMinusCos(predictor.rho, local.point)).toBeGreaterThan(1e-4);
    expect(oneMinusCos(trained, predictor.rho)).toBeGreaterThan(1e-4);
  });

  test('hand-solved 2-D instance: the KKT point next to each start, vertex or not', () => {
    // min ‖ρ‖_{2/3} s.t. ρ1 + ρ2/2 ≥ 1, ρ1/2 + ρ2 ≥ 1. KKT points: the vertices (2/3, 2/3), (2, 0),
    // (0, 2), and on each edge the point where ρ1^{−1/3} : ρ2^{−1/3} = 1 : 1/2, i.e. ρ2 = 8ρ1 on
    // ρ1 + ρ2/2 = 1: (1/5, 8/5) (a maximum along the edge, but first-order stationary)
    const Z = matrixFromRows([
      [1, 0.5],
      [0.5, 1],
    ]);
    const vertex = localStationaryPoint({ Z, y: [1, 1], L: 3, start: [1, 1.005] });
    expect(relErr(vertex.point, [2 / 3, 2 / 3])).toBeLessThan(1e-14);
    expect(vertex.activeSet).toEqual([0, 1]);
    // margins 1 : 1.016 at [1, 1.05]: only the first constraint is within the 1 % active tolerance
    const edge = localStationaryPoint({ Z, y: [1, 1], L: 3, start: [1, 1.05] });
    expect(relErr(edge.point, [1 / 5, 8 / 5])).toBeLessThan(1e-14);
    expect(edge.activeSet).toEqual([0]);
    expect(edge.kkt.certified).toBe(true);
    const axis = localStationaryPoint({ Z, y: [1, 1], L: 3, start: [2, 1e-5] });
    expect(relErr(axis.point, [2, 0])).toBeLessThan(1e-14);
    expect(axis.activeSet).toEqual([1]);
    expect(axis.kkt.certified).toBe(true);
  });

  test.each([3, 4])(
    'L = %i: started near the reweighted-ℓ1 KKT point, returns that point (independent solver)',
    async (L) => {
      const { X: Xp, y: yp } = plantedData(61, 10, 16);
      const ref = await stationaryMaxMarginLp({
        Z: Xp,
        y: yp,
        L,
        start: (await maxMarginL1({ Z: Xp, y: yp })).rho,
      });
      const start = ref.rho.map((v, j) => v * (1 + 1e-3 * Math.cos(j)) + (v === 0 ? 1e-7 : 0));
      const r = localStationaryPoint({ Z: Xp, y: yp, L, start });
      expect(r.status).toBe('converged');
      expect(relErr(r.point, ref.rho)).toBeLessThan(1e-10);
      expect(r.kkt.certified).toBe(true);
    },
  );

  test('bad input: L ≤ 2, a non-separating start and tolerances outside [0, 1) name their field', () => {
    const Z = matrixFromRows([[1, 0]]);
    expect(() => localStationaryPoint({ Z, y: [1], L: 2, start: [1, 0] })).toThrow(/maxMarginL1/);
    expect(() => localStationaryPoint({ Z, y: [1], L: 3, start: [-1, 0] })).toThrow(/start/);
    expect(() =>
      localStationaryPoint({ Z, y: [1], L: 3, start: [1, 0], supportTolerance: 2 }),
    ).toThrow(/supportTolerance/);
  });
});

describe('localStationaryPointFourier (warm start)', () => {
  test('L = 3: started near the reweighted group-ℓ1 KKT point, returns that point (independent solver) with a certificate', async () => {
    const { X: Xp, y: yp } = plantedData(151, 8, 8);
    const start0 = (await maxMarginFourierL1({ X: Xp, y: yp })).beta.map(
      (v, j) => v + 0.03 * Math.sin(j + 1),
    );
    const ref = await stationaryMaxMarginFourierLp({ X: Xp, y: yp, L: 3, start: start0 });
    const start = ref.beta.map((v, j) => v + 1e-4 * Math.cos(2 * j));
    const r = localStationaryPointFourier({ X: Xp, y: yp, L: 3, start });
    expect(r.status).toBe('converged');
    expect(r.kkt.certified).toBe(true);
    expect(relErr(r.point, ref.beta)).toBeLessThan(1e-9);
    expect(Math.abs(r.objective - ref.objective) / ref.objective).toBeLessThan(1e-12);
  }, 30000);
});
