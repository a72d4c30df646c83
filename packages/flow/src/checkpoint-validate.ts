import { ImplicitBiasError } from '@implicit-bias/core';
import type { FlowCheckpoint } from './checkpoint.js';

const STEPPER_NAMES = ['gd', 'rk4', 'dopri5', 'rodas4', 'radau5'];
const METHODS = [...STEPPER_NAMES, 'auto'];
const STATUSES = [
  'running',
  'converged',
  'max-steps',
  'max-time',
  'time-limit',
  'stiff',
  'non-finite',
  'stalled',
];
const REASONS = [
  'time',
  'steps',
  'loss',
  'logLoss',
  'gradNorm',
  'margin',
  'normalizedMargin',
  'wallMs',
  'maxSteps',
  'stiff',
  'non-finite',
  'stalled',
  'stationary',
];

type Obj = Record<string, unknown>;

/** A malformed checkpoint: `INVALID_DATA` naming the field. */
function malformed(path: string, msg: string): never {
  throw new ImplicitBiasError(
    'INVALID_DATA',
    `${msg}: the checkpoint is damaged or not from solution.checkpoint() (start the run afresh)`,
    { path },
  );
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Obj, k: string, path: string, check: 'finite' | 'nonneg' | 'positive'): void {
  const v = o[k];
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (check === 'finite' || (check === 'nonneg' ? v >= 0 : v > 0));
  if (!ok) {
    const want =
      check === 'finite' ? 'a finite number' : check === 'nonneg' ? 'a number ≥ 0' : 'a number > 0';
    malformed(`${path}.${k}`, `must be ${want}, got ${JSON.stringify(v) ?? 'nothing'}`);
  }
}

function count(o: Obj, k: string, path: string, optional = false): void {
  const v = o[k];
  if (optional && v === undefined) return;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    malformed(`${path}.${k}`, `must be an integer ≥ 0, got ${JSON.stringify(v) ?? 'nothing'}`);
}

/** `o[k]` is an array of `length` finite numbers (`nullOk`: entries may be null, as JSON writes NaN). */
function vec(o: Obj, k: string, path: string, length: number | undefined, nullOk = false): void {
  const v = o[k];
  if (!Array.isArray(v)) return malformed(`${path}.${k}`, 'must be an array of numbers');
  if (length !== undefined && v.length !== length)
    malformed(`${path}.${k}`, `must have ${length} entries, got ${v.length}`);
  v.forEach((x, j) => {
    if (
      !(typeof x === 'number' && Number.isFinite(x)) &&
      !(nullOk && (x === null || Number.isNaN(x)))
    )
      malformed(
        `${path}.${k}`,
        `entry ${j} is ${JSON.stringify(x) ?? String(x)}; expected a finite number`,
      );
  });
}

function oneOf(o: Obj, k: string, path: string, values: readonly string[], nullOk = false): void {
  const v = o[k];
  if (nullOk && (v === null || v === undefined)) return;
  if (typeof v !== 'string' || !values.includes(v))
    malformed(
      `${path}.${k}`,
      `must be one of ${values.join(', ')}, got ${JSON.stringify(v) ?? 'nothing'}`,
    );
}

/** The integrator state of a point (a run, or an event search's base). */
function checkPoint(r: Obj, path: string, dim: number, status: string): void {
  // a run that became non-finite is final (never stepped again): its state may hold what JSON
  // writes for NaN and ±Infinity (null)
  const failed = status === 'non-finite';
  num(r, 't', path, 'nonneg');
  vec(r, 'y', path, dim, failed);
  vec(r, 'f', path, dim, failed);
  num(r, 'h', path, 'nonneg');
  num(r, 'errPrev', path, 'finite');
  oneOf(r, 'stepper', path, STEPPER_NAMES);
  count(r, 'stiffHits', path);
  count(r, 'nonStiffHits', path);
  if (r.cont !== undefined && r.cont !== null) vec(r, 'cont', path, 3 * dim);
  if (r.hOld !== undefined && r.hOld !== null) num(r, 'hOld', path, 'nonneg');
  if (r.jacAt !== undefined && r.jacAt !== null) vec(r, 'jacAt', path, dim);
  if (r.jacRefresh !== undefined && typeof r.jacRefresh !== 'boolean')
    malformed(`${path}.jacRefresh`, 'must be true or false');
  if (r.jacobianKnown !== undefined && typeof r.jacobianKnown !== 'boolean')
    malformed(`${path}.jacobianKnown`, 'must be true or false');
}

function checkLocate(l: unknown, path: string, dim: number): void {
  if (!isObj(l)) return malformed(path, 'must be null or an event search');
  oneOf(l, 'reason', path, ['margin', 'loss', 'logLoss', 'normalizedMargin']);
  const m = l.monitor;
  if (m !== undefined && m !== null) {
    if (!isObj(m)) return malformed(`${path}.monitor`, 'must be null or a monitor');
    count(m, 'index', `${path}.monitor`);
    if (m.sign !== 1 && m.sign !== -1) malformed(`${path}.monitor.sign`, 'must be 1 or -1');
  } else if (l.reason === 'normalizedMargin') {
    malformed(`${path}.reason`, 'a stop-target search cannot be on normalizedMargin');
  }
  if (!isObj(l.base)) return malformed(`${path}.base`, 'must be an object');
  checkPoint(l.base, `${path}.base`, dim, 'running');
  for (const k of ['target', 'hLo', 'gLo', 'hHi', 'gHi', 'afterH', 'afterErrPrev'])
    num(l, k, path, 'finite');
  if (l.side !== -1 && l.side !== 0 && l.side !== 1)
    malformed(`${path}.side`, 'must be -1, 0 or 1');
  count(l, 'iterations', path);
}

/**
 * Check that a value is a well-formed checkpoint for this problem (`dim` state entries, `runs`
 * runs). A malformed one (missing fields, wrong lengths, NaN where a number is stored) throws
 * `INVALID_DATA`, a checkpoint of another problem `INVALID_CONFIG`; both name the field.
 */
export function validateCheckpoint(c: unknown, dim: number, runs: number): FlowCheckpoint {
  if (!isObj(c)) return malformed('checkpoint', 'must be an object from solution.checkpoint()');
  if (c.format !== 'implicit-bias/flow-checkpoint' || c.version !== 1) {
    malformed('checkpoint.format', 'not a version-1 flow checkpoint');
  }
  oneOf(c, 'method', 'checkpoint', METHODS);
  oneOf(c, 'time', 'checkpoint', ['physical', 'loss-normalized']);
  num(c, 'wallMs', 'checkpoint', 'nonneg');
  if (c.dim !== dim) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `state size ${String(c.dim)} does not match the network (${dim}): the checkpoint is of another problem`,
      { path: 'checkpoint.dim' },
    );
  }
  if (!Array.isArray(c.runs) || c.runs.length !== runs) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `expected ${runs} runs (one per problem.init entry), got ${Array.isArray(c.runs) ? c.runs.length : 'none'}`,
      { path: 'checkpoint.runs' },
    );
  }
  (c.runs as unknown[]).forEach((r, i) => {
    const path = `checkpoint.runs[${i}]`;
    if (!isObj(r)) return malformed(path, 'must be an object');
    oneOf(r, 'status', path, STATUSES);
    checkPoint(r, path, dim, r.status as string);
    count(r, 'accepted', path);
    count(r, 'rejected', path);
    num(r, 'fieldEvals', path, 'nonneg');
    num(r, 'jacobianEvals', path, 'nonneg');
    count(r, 'rejectStreak', path, true);
    oneOf(r, 'stoppedBy', path, REASONS, true);
    if (r.message !== null && r.message !== undefined && typeof r.message !== 'string')
      malformed(`${path}.message`, 'must be null or a string');
    vec(r, 'layerInv0', path, undefined);
    if (r.odecoInv0 !== null) vec(r, 'odecoInv0', path, undefined);
    if (r.status !== 'non-finite') {
      num(r, 'gMax', path, 'nonneg');
      num(r, 'layerDrift', path, 'nonneg');
      num(r, 'odecoDrift', path, 'nonneg');
    }
    if (r.nextSave !== null && r.nextSave !== undefined) num(r, 'nextSave', path, 'nonneg');
    num(r, 'saveRatio', path, 'positive');
    count(r, 'saveTimesIndex', path, true);
    if (r.locate !== null && r.locate !== undefined) checkLocate(r.locate, `${path}.locate`, dim);
    if (r.monitorSides !== undefined) {
      const sides = r.monitorSides;
      if (!Array.isArray(sides) || sides.some((v) => v !== 1 && v !== -1))
        malformed(`${path}.monitorSides`, 'must be an array of 1 and -1');
    }
    if (r.events !== undefined) {
      if (!Array.isArray(r.events)) return malformed(`${path}.events`, 'must be an array');
      (r.events as unknown[]).forEach((e, k) => {
        const ep = `${path}.events[${k}]`;
        if (!isObj(e) || typeof e.name !== 'string')
          return malformed(ep, 'must be an event record');
        oneOf(e, 'on', ep, ['margin', 'loss', 'logLoss', 'normalizedMargin']);
        oneOf(e, 'direction', ep, ['rising', 'falling']);
        num(e, 'value', ep, 'finite');
        num(e, 'time', ep, 'nonneg');
        count(e, 'step', ep);
        for (const q of ['loss', 'logLoss', 'margin', 'normalizedMargin', 'paramNorm']) {
          const v = e[q];
          if (!(typeof v === 'number' || (typeof v === 'string' && !Number.isNaN(Number(v)))))
            malformed(`${ep}.${q}`, 'must be a number');
        }
      });
    }
  });
  return c as unknown as FlowCheckpoint;
}
