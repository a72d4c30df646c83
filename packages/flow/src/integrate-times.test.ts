import { norm2 } from '@implicit-bias/core';
import { integrate, type IntegratePoint } from './integrate.js';
import { linearOde } from './testing/linear-ode.js';

// dv/dt = −Av with the closed form exp(−tA)v (the fixture's oracle)
const ode = linearOde([
  [1, 2],
  [0.5, -1],
  [2, 0.5],
]);
const v0 = Float64Array.from([1, -0.5, 0.25, 2, -1, 0.75]);
const times = [0.1, 0.25, 0.5, 1, 2, 3];

describe('integrate through report times (one integration, steps clipped to land on each)', () => {
  it.each(['dopri5', 'radau5', 'rodas4'] as const)(
    '%s reports every time exactly, each within rtol 1e-9 of exp(−tA)v (closed form)',
    (method) => {
      const seen: { index: number; t: number; y: Float64Array }[] = [];
      const res = integrate(ode.field, [v0], {
        method,
        tEnd: 3,
        times,
        rtol: 1e-10,
        atol: 1e-13,
        onTime: (p: IntegratePoint) => {
          seen.push({ index: p.index, t: p.t, y: Float64Array.from(p.y[0]!) });
        },
      });
      expect(res.status[0]).toBe('ok');
      expect(seen.map((p) => p.index)).toEqual(times.map((_, i) => i));
      expect(seen.map((p) => p.t)).toEqual(times);
      for (const p of seen) {
        const ex = ode.exact(v0, p.t);
        expect(norm2(p.y.map((v, i) => v - ex[i]!)) / norm2(v0)).toBeLessThan(1e-8);
      }
      expect(res.t[0]).toBe(3);
    },
  );

  it('radau5 keeps its Jacobian across report times (a restart per interval recomputes it)', () => {
    const opts = { method: 'radau5' as const, rtol: 1e-8, atol: 1e-12 };
    const through = integrate(ode.field, [v0], { ...opts, tEnd: 3, times });
    // the old way: one integrate call per interval, each starting over
    let y: Float64Array = v0;
    let t = 0;
    let restarted = 0;
    for (const target of times) {
      const r = integrate(ode.field, [y], { ...opts, tEnd: target - t });
      restarted += r.stats[0]!.jacobianEvals;
      y = r.y[0]!;
      t = target;
    }
    // a linear field's Jacobian never changes: Newton converges at once and J is kept
    expect(through.stats[0]!.jacobianEvals).toBe(1);
    expect(restarted).toBe(times.length);
    expect(norm2(through.y[0]!.map((v, i) => v - y[i]!)) / norm2(v0)).toBeLessThan(1e-7);
  });

  it('stops where onTime returns true, with the work so far and status stopped', () => {
    const stats: IntegratePoint['stats'][] = [];
    const res = integrate(ode.field, [v0, v0.map((v) => 2 * v)], {
      method: 'dopri5',
      tEnd: 3,
      times,
      onTime: (p) => {
        stats.push(p.stats);
        return p.index === 2;
      },
    });
    expect(res.status).toEqual(['stopped', 'stopped']);
    expect(res.t).toEqual([0.5, 0.5]);
    expect(stats).toHaveLength(3);
    expect(stats[2]).toEqual(res.stats);
    // the ODE is linear: the doubled start stays doubled, to rounding
    expect(norm2(res.y[1]!.map((v, i) => v - 2 * res.y[0]![i]!))).toBeLessThan(1e-12);
  });

  it('fixed steps report at the step within half a step of each time (rowTimes say which)', () => {
    const seen: IntegratePoint[] = [];
    integrate(ode.field, [v0], {
      method: 'rk4',
      tEnd: 1,
      stepSize: 0.03,
      times: [0.1, 0.5],
      onTime: (p) => {
        seen.push({ ...p, y: p.y.map((v) => Float64Array.from(v)) });
      },
    });
    expect(seen.map((p) => p.t)).toEqual([0.1, 0.5]);
    // steps of 0.03: the third ends at 0.09, the seventeenth at 0.51 (the sixteenth, 0.48, is
    // more than half a step short of 0.5)
    expect(seen[0]!.rowTimes[0]).toBeCloseTo(0.09, 12);
    expect(seen[1]!.rowTimes[0]).toBeCloseTo(0.51, 12);
    for (const p of seen) {
      const ex = ode.exact(v0, p.rowTimes[0]!);
      // rk4's global error at h = 0.03 (closed form oracle), far below the distance to p.t
      expect(norm2(p.y[0]!.map((v, i) => v - ex[i]!)) / norm2(v0)).toBeLessThan(1e-6);
    }
  });

  it.each([
    [[0.5, 0.2], 'options.times[1]'],
    [[0, 1], 'options.times[0]'],
    [[1, 4], 'options.times[1]'],
    [[Number.NaN], 'options.times[0]'],
  ])('refuses report times %j, naming %s', (bad, path) => {
    let caught: unknown;
    try {
      integrate(ode.field, [v0], { method: 'dopri5', tEnd: 3, times: bad });
    } catch (e) {
      caught = e;
    }
    expect((caught as { code?: string }).code).toBe('INVALID_CONFIG');
    expect((caught as { path?: string }).path).toBe(path);
  });
});
