import { FLOW_DEFAULTS } from './defaults.js';
import { ImplicitBiasError, matrixFromRows, type HostMatrix } from '@implicit-bias/core';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { STEPPERS } from './integrator.js';
import { isClassificationLoss } from './losses.js';

/** A validated problem: data on the host and the packed initial state of every run. */
export interface CheckedProblem {
  /** The data of the first (or only) data set. */
  readonly X: HostMatrix;
  readonly y: Float64Array;
  /**
   * One `{ X, y }` per run when the problem gives per-run data (`X` or `y` a list), else one
   * shared entry (`{ X, y }` above).
   */
  readonly data: readonly { readonly X: HostMatrix; readonly y: Float64Array }[];
  /** True when every run has its own data set (`data[run]`). */
  readonly perRun: boolean;
  /** Packed `[v_1 … v_L]` of each run. */
  readonly init: Float64Array[];
  readonly dim: number;
}

const bad = (
  code: 'INVALID_CONFIG' | 'SHAPE_MISMATCH' | 'NON_FINITE',
  path: string,
  msg: string,
): never => {
  throw new ImplicitBiasError(code, msg, { path });
};

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || v instanceof Float64Array;
}

/** A HostMatrix, or an array of rows (each an array). */
function isMatrixLike(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every(isArrayLike);
  return typeof v === 'object' && v !== null && 'data' in v;
}

/** True when `v` is a list of per-run entries (`X: [X_0, …]`, `y: [y_0, …]`), not one entry. */
function perRunList(v: unknown, entry: (e: unknown) => boolean): boolean {
  return Array.isArray(v) && v.length > 0 && entry(v[0]);
}

function checkX(v: unknown, path: string, inputDim: number): HostMatrix {
  let X: HostMatrix;
  if (Array.isArray(v)) X = matrixFromRows(v as readonly (readonly number[])[], path);
  else {
    const m = v as HostMatrix;
    if (
      typeof m !== 'object' ||
      m === null ||
      !(m.data instanceof Float64Array) ||
      m.data.length !== m.rows * m.cols
    ) {
      return bad('SHAPE_MISMATCH', path, 'must be a HostMatrix or an array of rows');
    }
    // a plain loop (no closure per entry): this runs on every solve, over all of X
    const data = m.data;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x - x !== 0)
        bad('NON_FINITE', path, `row ${Math.floor(i / m.cols)}, column ${i % m.cols} is ${x}`);
    }
    X = m;
  }
  if (X.cols !== inputDim) {
    bad(
      'SHAPE_MISMATCH',
      path,
      `has ${X.cols} columns but the network's input dimension is ${inputDim}`,
    );
  }
  return X;
}

function checkY(
  v: unknown,
  path: string,
  n: number,
  xPath: string,
  loss: FlowProblem['loss'],
): Float64Array {
  if (!isArrayLike(v)) return bad('SHAPE_MISMATCH', path, 'must be an array of numbers');
  if (v.length !== n)
    bad('SHAPE_MISMATCH', path, `has ${v.length} entries but ${xPath} has ${n} rows`);
  const y = Float64Array.from(v as ArrayLike<number>);
  const classification = isClassificationLoss(loss);
  for (let i = 0; i < y.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      bad('NON_FINITE', `${path}[${i}]`, `is ${String(x)}; expected a finite number`);
    if (classification && x !== 1 && x !== -1) {
      bad(
        'INVALID_CONFIG',
        `${path}[${i}]`,
        `is ${String(x)}; the ${loss} loss needs labels +1 or -1`,
      );
    }
  }
  return y;
}

/** Validate a {@link FlowProblem}; errors name the offending field (`'y[3]'`, `'init[0][1]'`). */
export function checkProblem(p: FlowProblem): CheckedProblem {
  if (typeof p !== 'object' || p === null) bad('INVALID_CONFIG', 'problem', 'must be an object');
  const net = p.network;
  if (typeof net !== 'object' || net === null || !Array.isArray(net.paramSizes)) {
    bad('INVALID_CONFIG', 'network', 'must be a LinearTensorNetwork from @implicit-bias/networks');
  }
  if (
    typeof p.backend !== 'object' ||
    p.backend === null ||
    typeof p.backend.fromHost !== 'function'
  ) {
    bad('INVALID_CONFIG', 'backend', 'must be a Backend (for example createCpuBackend())');
  }
  if (!['squared', 'exponential', 'logistic'].includes(p.loss)) {
    bad(
      'INVALID_CONFIG',
      'loss',
      `must be 'squared', 'exponential' or 'logistic', got ${JSON.stringify(p.loss)}`,
    );
  }
  const runs = Array.isArray(p.init) ? p.init.length : 0;
  const xs = perRunList(p.X, isMatrixLike) ? (p.X as readonly unknown[]) : undefined;
  const ys = perRunList(p.y, isArrayLike) ? (p.y as readonly unknown[]) : undefined;
  if (xs !== undefined && xs.length !== runs) {
    bad(
      'SHAPE_MISMATCH',
      'X',
      `holds ${xs.length} data sets but init holds ${runs} runs: give one X per run, or one X for all`,
    );
  }
  if (ys !== undefined && xs === undefined) {
    bad(
      'SHAPE_MISMATCH',
      'y',
      'one y per run needs one X per run (X: [X_0, …]); give one y vector',
    );
  }
  if (ys !== undefined && ys.length !== runs) {
    bad(
      'SHAPE_MISMATCH',
      'y',
      `holds ${ys.length} label vectors but init holds ${runs} runs: give one y per run, or one y for all`,
    );
  }
  const Xs =
    xs === undefined
      ? [checkX(p.X, 'X', net.inputDim)]
      : xs.map((x, r) => checkX(x, `X[${r}]`, net.inputDim));
  Xs.forEach((m, r) => {
    if (m.rows !== Xs[0]!.rows)
      bad(
        'SHAPE_MISMATCH',
        `X[${r}]`,
        `has ${m.rows} rows but X[0] has ${Xs[0]!.rows}: every run needs the same number of samples`,
      );
  });
  const Ys =
    ys === undefined
      ? [checkY(p.y, 'y', Xs[0]!.rows, xs === undefined ? 'X' : 'X[0]', p.loss)]
      : ys.map((v, r) => checkY(v, `y[${r}]`, Xs[0]!.rows, `X[${r}]`, p.loss));
  const data = Xs.map((X, r) => ({ X, y: Ys[Math.min(r, Ys.length - 1)]! }));
  const X = data[0]!.X;
  const y = data[0]!.y;
  const sizes = net.paramSizes;
  const dim = sizes.reduce((a, b) => a + b, 0);
  if (!Array.isArray(p.init) || p.init.length === 0) {
    bad(
      'SHAPE_MISMATCH',
      'init',
      'must be a non-empty array of runs, each an array of layer vectors',
    );
  }
  const init = p.init.map((run, b) => {
    if (!Array.isArray(run) || run.length !== sizes.length) {
      bad(
        'SHAPE_MISMATCH',
        `init[${b}]`,
        `must hold ${sizes.length} layer vectors (one per layer)`,
      );
    }
    const packed = new Float64Array(dim);
    let off = 0;
    run.forEach((v, l) => {
      if (!isArrayLike(v) || v.length !== sizes[l]) {
        bad('SHAPE_MISMATCH', `init[${b}][${l}]`, `must have k_${l + 1} = ${sizes[l]} entries`);
      }
      for (let j = 0; j < v.length; j++) {
        const x = v[j];
        if (typeof x !== 'number' || !Number.isFinite(x))
          bad('NON_FINITE', `init[${b}][${l}]`, `entry ${j} is ${String(x)}`);
        packed[off + j] = x as number;
      }
      off += v.length;
    });
    return packed;
  });
  return { X, y, data, perRun: xs !== undefined, init, dim };
}

function positive(v: unknown, path: string, allowZero = false): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || Number.isNaN(v) || (allowZero ? v < 0 : v <= 0)) {
    bad(
      'INVALID_CONFIG',
      path,
      `must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(v)}`,
    );
  }
}

/** Validate {@link FlowOptions}; errors name the field (`'options.rtol'`). */
export function checkOptions(o: FlowOptions, loss: FlowProblem['loss']): void {
  if (typeof o !== 'object' || o === null) bad('INVALID_CONFIG', 'options', 'must be an object');
  const method = o.method ?? FLOW_DEFAULTS.method;
  if (method !== 'auto' && !(method in STEPPERS)) {
    bad(
      'INVALID_CONFIG',
      'options.method',
      `must be one of gd, rk4, dopri5, rodas4, radau5, auto; got ${String(method)}`,
    );
  }
  if (o.rtol !== undefined && !(typeof o.rtol === 'number' && o.rtol > 0 && o.rtol <= 1)) {
    bad(
      'INVALID_CONFIG',
      'options.rtol',
      `must be a relative tolerance in (0, 1] (for example 1e-8), got ${String(o.rtol)}`,
    );
  }
  if (o.atol !== undefined && !(typeof o.atol === 'number' && o.atol > 0 && o.atol < Infinity)) {
    bad(
      'INVALID_CONFIG',
      'options.atol',
      `must be a finite absolute tolerance > 0 (for example 1e-12), got ${String(o.atol)}`,
    );
  }
  positive(o.stepSize, 'options.stepSize');
  if (o.stepSize === Infinity) bad('INVALID_CONFIG', 'options.stepSize', 'must be finite');
  positive(o.maxStepSize, 'options.maxStepSize');
  if ((method === 'gd' || method === 'rk4') && o.stepSize === undefined) {
    bad('INVALID_CONFIG', 'options.stepSize', `${method} takes fixed steps: give options.stepSize`);
  }
  if (o.errorScale !== undefined && o.errorScale !== 'componentwise' && o.errorScale !== 'norm') {
    bad('INVALID_CONFIG', 'options.errorScale', `must be 'componentwise' or 'norm'`);
  }
  if (o.time !== undefined && o.time !== 'physical' && o.time !== 'loss-normalized') {
    bad('INVALID_CONFIG', 'options.time', `must be 'physical' or 'loss-normalized'`);
  }
  const u = o.until;
  if (typeof u !== 'object' || u === null) {
    return bad(
      'INVALID_CONFIG',
      'options.until',
      'give at least one stop condition (time, steps, loss, …)',
    );
  }
  const keys = [
    'time',
    'steps',
    'loss',
    'logLoss',
    'gradNorm',
    'margin',
    'normalizedMargin',
    'wallMs',
  ] as const;
  if (!keys.some((k) => u[k] !== undefined)) {
    bad('INVALID_CONFIG', 'options.until', `give at least one of ${keys.join(', ')}`);
  }
  for (const k of keys) {
    const v = u[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || Number.isNaN(v))
      bad('INVALID_CONFIG', `options.until.${k}`, 'must be a number');
  }
  positive(u.time, 'options.until.time');
  positive(u.steps, 'options.until.steps');
  positive(u.loss, 'options.until.loss');
  positive(u.gradNorm, 'options.until.gradNorm', true);
  positive(u.wallMs, 'options.until.wallMs');
  if ((u.margin !== undefined || u.normalizedMargin !== undefined) && !isClassificationLoss(loss)) {
    bad(
      'INVALID_CONFIG',
      u.margin !== undefined ? 'options.until.margin' : 'options.until.normalizedMargin',
      'margins need a classification loss',
    );
  }
  if (o.maxSteps !== undefined && !(Number.isInteger(o.maxSteps) && o.maxSteps > 0)) {
    bad('INVALID_CONFIG', 'options.maxSteps', 'must be a positive integer');
  }
  if (o.save !== undefined) {
    const c = o.save.count;
    if (c !== undefined && !(Number.isInteger(c) && c >= 2))
      bad('INVALID_CONFIG', 'options.save.count', 'must be an integer ≥ 2');
    const times = o.save.times;
    if (times !== undefined) {
      if (!Array.isArray(times))
        bad('INVALID_CONFIG', 'options.save.times', 'must be an array of times');
      times.forEach((t, i) => {
        if (
          typeof t !== 'number' ||
          !(t >= 0) ||
          !Number.isFinite(t) ||
          (i > 0 && !(t > times[i - 1]!))
        ) {
          bad(
            'INVALID_CONFIG',
            `options.save.times[${i}]`,
            'times must be finite, non-negative and increasing',
          );
        }
      });
    }
  }
  const cls = isClassificationLoss(loss);
  const levels = (list: unknown, path: string, check: (v: number) => string | undefined): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) return bad('INVALID_CONFIG', path, 'must be an array of numbers');
    list.forEach((v: unknown, i) => {
      const why =
        typeof v !== 'number' || !Number.isFinite(v) ? 'must be a finite number' : check(v);
      if (why !== undefined) bad('INVALID_CONFIG', `${path}[${i}]`, `${why}, got ${String(v)}`);
    });
  };
  levels(o.save?.margins, 'options.save.margins', () =>
    cls ? undefined : 'margins need a classification loss (exponential or logistic)',
  );
  levels(o.save?.losses, 'options.save.losses', (v) =>
    v > 0 ? undefined : 'must be a loss value > 0',
  );
  if (o.events !== undefined) {
    if (!Array.isArray(o.events))
      bad('INVALID_CONFIG', 'options.events', 'must be an array of { name, on, value }');
    o.events.forEach((e, i) => {
      const path = `options.events[${i}]`;
      if (typeof e !== 'object' || e === null)
        return bad('INVALID_CONFIG', path, 'must be an object');
      if (typeof e.name !== 'string') bad('INVALID_CONFIG', `${path}.name`, 'must be a string');
      if (!['margin', 'loss', 'logLoss', 'normalizedMargin'].includes(e.on)) {
        bad(
          'INVALID_CONFIG',
          `${path}.on`,
          `must be 'margin', 'loss', 'logLoss' or 'normalizedMargin', got ${JSON.stringify(e.on)}`,
        );
      }
      if (typeof e.value !== 'number' || !Number.isFinite(e.value))
        bad('INVALID_CONFIG', `${path}.value`, 'must be a finite number');
      if (e.on === 'loss' && !(e.value > 0))
        bad('INVALID_CONFIG', `${path}.value`, 'a loss level must be > 0');
      if ((e.on === 'margin' || e.on === 'normalizedMargin') && !cls)
        bad('INVALID_CONFIG', `${path}.on`, 'margins need a classification loss');
      if (e.direction !== undefined && !['rising', 'falling', 'either'].includes(e.direction)) {
        bad('INVALID_CONFIG', `${path}.direction`, `must be 'rising', 'falling' or 'either'`);
      }
    });
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function')
    bad('INVALID_CONFIG', 'options.onEvent', 'must be a function (event, run) => void');
  if (o.clock !== undefined && typeof o.clock !== 'function') {
    bad(
      'INVALID_CONFIG',
      'options.clock',
      'must be a function returning milliseconds (like Date.now)',
    );
  }
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') {
    bad('INVALID_CONFIG', 'options.onWarning', 'must be a function receiving a message');
  }
  positive(o.memoryBudget, 'options.memoryBudget');
  positive(o.progressThrottleMs, 'options.progressThrottleMs', true);
  positive(o.locateTol, 'options.locateTol');
  positive(o.stallTol, 'options.stallTol');
  if (o.stiffSwitch !== undefined && !(Number.isInteger(o.stiffSwitch) && o.stiffSwitch > 0)) {
    bad('INVALID_CONFIG', 'options.stiffSwitch', 'must be a positive integer');
  }
  if (o.stiffness !== undefined && o.stiffness !== 'stop' && o.stiffness !== 'ignore') {
    bad(
      'INVALID_CONFIG',
      'options.stiffness',
      `must be 'stop' or 'ignore', got ${JSON.stringify(o.stiffness)}`,
    );
  }
}
