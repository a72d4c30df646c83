import {
  isImplicitBiasError,
  key,
  normal,
  relativeDistance,
  split,
  uniform,
} from '@implicit-bias/core';
import {
  convolutional,
  diagonal,
  fullyConnected,
  initialize,
  odecoInvariants,
} from '@implicit-bias/networks';
import { reducedFlowField } from './reduced-flow.js';

/** n = 5 samples in d = 12 dimensions (docs/theory/q-potential.md's regression oracle setting). */
function data(seed: number): { X: number[][]; y: number[]; eta: Float64Array } {
  const n = 5;
  const d = 12;
  const [kx, ky, ke] = split(key(seed), 3);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  return { X, y: Array.from(normal(ky!, n)), eta: uniform(ke!, d, 0.5, 1.5) };
}

describe('reduced odeco regression field (docs/theory/q-potential.md)', () => {
  it('the exact Jacobian equals central differences of the field (oracle: finite differences)', () => {
    const { X, y, eta } = data(11);
    const field = reducedFlowField({
      network: diagonal({ dim: 12, depth: 3 }),
      X,
      y,
      alpha: 0.4,
      eta,
    });
    const s = Float64Array.from(normal(key(5), 5), (v) => 0.05 * v);
    const J = field.jacobian!(s, 1);
    const h = 1e-6;
    let worst = 0;
    let scale = 0;
    for (let k = 0; k < 5; k++) {
      const p = Float64Array.from(s);
      const q = Float64Array.from(s);
      p[k] = p[k]! + h;
      q[k] = q[k]! - h;
      const fp = field.evaluate(p, 1);
      const fq = field.evaluate(q, 1);
      for (let i = 0; i < 5; i++) {
        const fd = (fp[i]! - fq[i]!) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - J[i * 5 + k]!));
        scale = Math.max(scale, Math.abs(J[i * 5 + k]!));
      }
    }
    // central differences: truncation O(h²) plus rounding O(ε/h) ≈ 1e-10 relative
    expect(worst / scale).toBeLessThan(1e-7);
    // dropping terms below 1e-6 of the largest changes J by at most m·1e-6 of it (bound of the
    // option's contract), and by nothing when no term is that small
    // (η_j = 1e-3 on four coordinates makes their terms ~η⁴ = 1e-12 of the others: dropped)
    const skewed = Array.from(eta, (e, j) => (j % 3 === 0 ? 1e-3 : e));
    const problem = { network: diagonal({ dim: 12, depth: 3 }), X, y, alpha: 0.4, eta: skewed };
    const exact = reducedFlowField(problem).jacobian!(s, 1);
    const dropped = reducedFlowField(problem, { jacobianDropTol: 1e-6 }).jacobian!(s, 1);
    let diff = 0;
    let big = 0;
    for (let i = 0; i < 25; i++) {
      diff = Math.max(diff, Math.abs(dropped[i]! - exact[i]!));
      big = Math.max(big, Math.abs(exact[i]!));
    }
    expect(diff).toBeGreaterThan(0);
    expect(diff / big).toBeLessThanOrEqual(12 * 1e-6);
  });

  it.each([1, 2, 3])(
    'L = %i: the layers of a state reproduce its β through the network and conserve the odeco invariants of the init (oracles: endToEndHost, odecoInvariants)',
    (L) => {
      const { X, y, eta } = data(20 + L);
      const network = diagonal({ dim: 12, depth: L });
      const alpha = 0.7;
      const field = reducedFlowField({ network, X, y, alpha, eta });
      const init = initialize(network, {
        scheme: 'odeco',
        scale: alpha,
        shape: Array.from(eta),
        seed: 4,
      })[0]!;
      // a state inside the domain |Φ_L argument| < C_L (finite for L ≥ 3)
      const s = Float64Array.from(normal(key(9), 5), (v) => 0.05 * v);
      expect(field.rho(s).every(Number.isFinite)).toBe(true);
      const layers = field.layers(s, init);
      expect(relativeDistance(network.endToEndHost(layers), field.beta(s))).toBeLessThan(1e-13);
      // at s̃ = 0 the layers are the init itself
      const at0 = field.layers(new Float64Array(5), init);
      at0.forEach((v, l) => expect(relativeDistance(v, init[l]!)).toBeLessThan(1e-15));
      const inv0 = odecoInvariants(network, init)!;
      const inv = odecoInvariants(network, layers)!;
      for (let i = 0; i < inv.length; i++)
        expect(Math.abs(inv[i]! - inv0[i]!)).toBeLessThanOrEqual(1e-14 * Math.abs(inv0[i]!));
      // a different α is not this problem's initialization
      const other = initialize(network, {
        scheme: 'odeco',
        scale: 2 * alpha,
        shape: 'ones',
        seed: 4,
      });
      if (L > 1) expect(() => field.layers(s, other[0]!)).toThrow(/init.scheme 'odeco'/);
    },
  );

  it('refuses networks without a real odeco decomposition and bad inputs, naming the field', () => {
    const { X, y } = data(1);
    const expectError = (f: () => unknown, code: string, path: string): void => {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(isImplicitBiasError(caught, code as 'INVALID_CONFIG')).toBe(true);
      expect((caught as { path?: string }).path).toBe(path);
    };
    expectError(
      () =>
        reducedFlowField({
          network: fullyConnected({ inputDim: 12, hidden: [3] }),
          X,
          y,
          alpha: 1,
        }),
      'INVALID_CONFIG',
      'network',
    );
    expectError(
      () =>
        reducedFlowField({
          network: convolutional({ dim: 12, depth: 2, filters: [12] }),
          X,
          y,
          alpha: 1,
        }),
      'INVALID_CONFIG',
      'network',
    );
    const network = diagonal({ dim: 12, depth: 2 });
    expectError(() => reducedFlowField({ network, X, y, alpha: 0 }), 'INVALID_CONFIG', 'alpha');
    expectError(() => reducedFlowField({ network, X, y: [1, 2], alpha: 1 }), 'SHAPE_MISMATCH', 'y');
    expectError(
      () => reducedFlowField({ network, X, y, alpha: 1, eta: new Array<number>(12).fill(0) }),
      'INVALID_CONFIG',
      'eta',
    );
    expectError(
      () => reducedFlowField({ network, X, y, alpha: 1 }, { jacobianDropTol: 0.5 }),
      'INVALID_CONFIG',
      'jacobianDropTol',
    );
    expectError(
      () => reducedFlowField({ network, X, y, alpha: 1 }, { jacobianReuse: 1 }),
      'INVALID_CONFIG',
      'jacobianReuse',
    );
  });
});
