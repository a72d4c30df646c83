import { norm2 } from '@implicit-bias/core';
import { integrate } from './integrate.js';
import { linearOde } from './testing/linear-ode.js';

const ode = linearOde([
  [1, 2],
  [0.5, -1],
  [2, 0.5],
]);
const v0 = Float64Array.from([1, -0.5, 0.25, 2, -1, 0.75]);
const T = 1;
const exact = ode.exact(v0, T);

function errorAt(method: 'gd' | 'rk4' | 'dopri5' | 'rodas4' | 'radau5', h: number): number {
  const res = integrate(ode.field, [v0], { method, tEnd: T, stepSize: h, adaptive: false });
  expect(res.status[0]).toBe('ok');
  expect(Math.abs(res.t[0]! - T)).toBeLessThan(1e-9);
  const y = res.y[0]!;
  return norm2(y.map((v, i) => v - exact[i]!)) / norm2(exact);
}

function slope(
  method: 'gd' | 'rk4' | 'dopri5' | 'rodas4' | 'radau5',
  hs: readonly number[],
): number {
  const xs = hs.map(Math.log);
  const ys = hs.map((h) => Math.log(errorAt(method, h)));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

describe('integrator order on dv/dt = -Av against the matrix exponential (order test)', () => {
  it('the closed-form exp(-tA) fixture solves the ODE (derivative by central difference)', () => {
    const t = 0.3;
    const d = 1e-5;
    const a = ode.exact(v0, t + d);
    const b = ode.exact(v0, t - d);
    const dv = a.map((x, i) => (x - b[i]!) / (2 * d));
    const f = ode.field.evaluate(ode.exact(v0, t), 1);
    expect(norm2(dv.map((x, i) => x - f[i]!))).toBeLessThan(1e-8);
  });
  it('gd (explicit Euler) has log-log error slope 1', () => {
    expect(slope('gd', [1 / 200, 1 / 400, 1 / 800, 1 / 1600])).toBeCloseTo(1, 1);
  });
  it('rk4 has log-log error slope 4', () => {
    expect(Math.abs(slope('rk4', [1 / 10, 1 / 20, 1 / 40, 1 / 80]) - 4)).toBeLessThan(0.15);
  });
  it('dopri5 in fixed-step mode has log-log error slope 5', () => {
    expect(Math.abs(slope('dopri5', [1 / 5, 1 / 10, 1 / 20, 1 / 40]) - 5)).toBeLessThan(0.2);
  });
  it('radau5 in fixed-step mode has log-log error slope 5', () => {
    expect(Math.abs(slope('radau5', [1 / 2, 1 / 4, 1 / 8, 1 / 16]) - 5)).toBeLessThan(0.3);
  });
  it('rodas4 in fixed-step mode has log-log error slope 4', () => {
    expect(Math.abs(slope('rodas4', [1 / 10, 1 / 20, 1 / 40, 1 / 80]) - 4)).toBeLessThan(0.25);
  });
  it.each(['dopri5', 'rodas4', 'radau5', 'auto'] as const)(
    '%s with error control meets rtol 1e-9 against exp(-tA) (closed form)',
    (method) => {
      const res = integrate(ode.field, [v0], { method, tEnd: 3, rtol: 1e-9, atol: 1e-12 });
      const ex = ode.exact(v0, 3);
      expect(res.t[0]).toBe(3);
      const err = norm2(res.y[0]!.map((v, i) => v - ex[i]!)) / norm2(v0);
      expect(err).toBeLessThan(1e-7);
      expect(res.stats[0]!.rejected).toBeLessThan(res.stats[0]!.accepted);
    },
  );
  it('rodas4 takes large steps on a stiff linear system where dopri5 is stability-limited (closed form)', () => {
    const stiff = linearOde([
      [1, 0.5],
      [1e3, 0],
      [3e3, 100],
    ]);
    const y0 = Float64Array.from([1, 1, 1, 1, 1, 1]);
    const ex = stiff.exact(y0, 2);
    const r = integrate(stiff.field, [y0], { method: 'rodas4', tEnd: 2, rtol: 1e-6, atol: 1e-9 });
    const d = integrate(stiff.field, [y0], { method: 'dopri5', tEnd: 2, rtol: 1e-6, atol: 1e-9 });
    const a = integrate(stiff.field, [y0], { method: 'auto', tEnd: 2, rtol: 1e-6, atol: 1e-9 });
    for (const res of [r, d, a]) {
      expect(norm2(res.y[0]!.map((v, i) => v - ex[i]!))).toBeLessThan(1e-4);
    }
    expect(r.stats[0]!.accepted * 10).toBeLessThan(d.stats[0]!.accepted);
    expect(a.stats[0]!.accepted * 3).toBeLessThan(d.stats[0]!.accepted);
  });
  it('batched rows equal separate runs bit for bit (rows never interact)', () => {
    const w0 = Float64Array.from([0.3, 0.1, -2, 0.5, 1, 1]);
    const both = integrate(ode.field, [v0, w0], { method: 'dopri5', tEnd: 2, rtol: 1e-10 });
    const a = integrate(ode.field, [v0], { method: 'dopri5', tEnd: 2, rtol: 1e-10 });
    const b = integrate(ode.field, [w0], { method: 'dopri5', tEnd: 2, rtol: 1e-10 });
    expect(Array.from(both.y[0]!)).toEqual(Array.from(a.y[0]!));
    expect(Array.from(both.y[1]!)).toEqual(Array.from(b.y[0]!));
    expect(both.stats[1]).toEqual(b.stats[0]);
  });
});
