import type { LinearTensorNetwork } from '@implicit-bias/networks';
import type { EventQuantity, EventRecord, FlowOptions } from './flow-types.js';
import type { RowState } from './integrator.js';
import {
  eventValue,
  illinoisStep,
  snapshotAt,
  vecNorm,
  type RunObservation,
  type RunRecord,
} from './run-record.js';

/**
 * A level crossing watched along a run without stopping it: a `save.margins`/`save.losses`
 * level (`once`: saved where first reached) or a non-terminal event (every crossing recorded).
 */
export interface Monitor {
  readonly kind: 'save' | 'event';
  readonly on: EventQuantity;
  readonly value: number;
  /** Crossings that count: `+1` rising, `−1` falling, `0` either. */
  readonly direction: number;
  /** Event name (events only). */
  readonly name: string;
}

/** The monitors of a solve: save levels first (margins, then losses), then events. */
export function monitorsOf(options: FlowOptions): Monitor[] {
  const out: Monitor[] = [];
  for (const value of options.save?.margins ?? [])
    out.push({ kind: 'save', on: 'margin', value, direction: 1, name: '' });
  for (const value of options.save?.losses ?? [])
    out.push({ kind: 'save', on: 'loss', value, direction: -1, name: '' });
  for (const e of options.events ?? []) {
    const direction = e.direction === 'rising' ? 1 : e.direction === 'falling' ? -1 : 0;
    out.push({ kind: 'event', on: e.on, value: e.value, direction, name: e.name });
  }
  return out;
}

/** What the crossing checks need. */
export interface CrossingContext {
  readonly monitors: readonly Monitor[];
  readonly net: LinearTensorNetwork;
  readonly offsets: readonly number[];
  readonly locateEvents: boolean;
  readonly locateTol: number;
  /** Stop targets located by `checkStops` (`until.margin`, `loss`, `logLoss`). */
  readonly stops: readonly {
    readonly reason: 'margin' | 'loss' | 'logLoss';
    readonly target: number;
  }[];
  readonly onEvent: ((event: EventRecord, run: number) => void) | undefined;
}

/**
 * Signed, relative distance of the watched quantity above the level at a point: ≥ 0 when the
 * quantity is at or above it (loss and log-loss in log space, as for the stop targets).
 */
export function levelValue(
  m: Pick<Monitor, 'on' | 'value'>,
  obs: RunObservation,
  y: Float64Array,
  depth: number,
): number {
  if (m.on === 'margin') return (obs.margin - m.value) / Math.max(Math.abs(m.value), 1e-300);
  if (m.on === 'normalizedMargin') {
    const nm = obs.margin / Math.pow(vecNorm(y), depth);
    return (nm - m.value) / Math.max(Math.abs(m.value), 1e-300);
  }
  if (m.on === 'loss') return -eventValue('loss', m.value, obs);
  return -eventValue('logLoss', m.value, obs);
}

const sideOf = (u: number): number => (u >= 0 ? 1 : -1);

/** A save monitor is done once it is on its reaching side (`direction`). */
const done = (m: Monitor, side: number): boolean => m.kind === 'save' && side === m.direction;

/** Sides of every monitor at a run's current point (fresh runs, or a checkpoint without them). */
export function initialSides(rec: RunRecord, ctx: CrossingContext): number[] {
  return ctx.monitors.map((m) => sideOf(levelValue(m, rec.obs, rec.row.y, ctx.net.depth)));
}

function record(
  rec: RunRecord,
  m: Monitor,
  sign: number,
  row: Pick<RowState, 't' | 'y'>,
  obs: RunObservation,
  ctx: CrossingContext,
): void {
  if (m.kind === 'save') {
    const snap = snapshotAt(row, obs, ctx.net, ctx.offsets);
    insertByTime(rec.levelSaves, {
      ...snap,
      savedFor: { on: m.on === 'margin' ? 'margin' : 'loss', value: m.value },
    });
    return;
  }
  const norm = vecNorm(row.y);
  const e: EventRecord = {
    name: m.name,
    on: m.on,
    value: m.value,
    direction: sign > 0 ? 'rising' : 'falling',
    time: row.t,
    loss: obs.loss,
    logLoss: obs.logLoss,
    margin: obs.margin,
    normalizedMargin: obs.margin / Math.pow(norm, ctx.net.depth),
    paramNorm: norm,
    step: rec.row.accepted,
  };
  insertByTime(rec.events, e);
  ctx.onEvent?.(e, rec.index);
}

/** Insert keeping time order (a crossing located before one found earlier goes before it). */
function insertByTime<T extends { readonly time: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.time > item.time) i -= 1;
  list.splice(i, 0, item);
}

/**
 * Check the monitors over the step `before → current point` (just accepted, or just located).
 * Crossings are handled in the order of their linearly interpolated place in the step; a crossing
 * to locate that comes before every crossed stop target starts a search (`rec.locate`, returns
 * true: the caller neither saves nor checks stops). Crossings within `locateTol` of the level,
 * or without `locateEvents`, are recorded at the point reached (or at `before` when it already
 * lay on the new side within `locateTol`).
 */
export function checkCrossings(
  rec: RunRecord,
  step: { readonly before: RowState; readonly prevObs: RunObservation },
  ctx: CrossingContext,
): boolean {
  if (ctx.monitors.length === 0) return false;
  const L = ctx.net.depth;
  const tol = ctx.locateTol;
  // where the first crossed stop target lies in the step (1: at its end)
  let stopAt = Infinity;
  for (const s of ctx.stops) {
    const g0 = eventValue(s.reason, s.target, step.prevObs);
    const g1 = eventValue(s.reason, s.target, rec.obs);
    if (!(g1 >= 0)) continue;
    stopAt = Math.min(stopAt, ctx.locateEvents && g0 < 0 && g1 > tol ? g0 / (g0 - g1) : 1);
  }
  const found: { k: number; at: number; sign: number; u0: number; u1: number }[] = [];
  ctx.monitors.forEach((m, k) => {
    const side = rec.sides[k]!;
    if (done(m, side)) return;
    const u1 = levelValue(m, rec.obs, rec.row.y, L);
    const s1 = sideOf(u1);
    // at the level within locateTol: no side yet (a later step decides)
    if (!Number.isFinite(u1) || s1 === side || Math.abs(u1) <= tol) return;
    const u0 = levelValue(m, step.prevObs, step.before.y, L);
    const g0 = s1 * u0;
    found.push({ k, at: g0 < 0 ? g0 / (g0 - s1 * u1) : 0, sign: s1, u0, u1 });
  });
  found.sort((a, b) => a.at - b.at || a.k - b.k);
  for (const c of found) {
    const m = ctx.monitors[c.k]!;
    const counts = m.direction === 0 || m.direction === c.sign;
    if (counts && c.at > stopAt) break;
    if (!counts) {
      rec.sides[c.k] = c.sign;
      continue;
    }
    const g0 = c.sign * c.u0;
    if (g0 >= 0) {
      // the point before the step already lay on the new side, within locateTol of the level
      rec.sides[c.k] = c.sign;
      record(rec, m, c.sign, step.before, step.prevObs, ctx);
      continue;
    }
    if (ctx.locateEvents) {
      rec.locate = {
        reason: m.on,
        target: m.value,
        base: step.before,
        hLo: 0,
        gLo: g0,
        hHi: rec.row.t - step.before.t,
        gHi: c.sign * c.u1,
        side: 0,
        iterations: 0,
        after: { h: rec.row.h, errPrev: rec.row.errPrev },
        monitor: { index: c.k, sign: c.sign, baseObs: step.prevObs },
      };
      return true;
    }
    rec.sides[c.k] = c.sign;
    record(rec, m, c.sign, rec.row, rec.obs, ctx);
  }
  return false;
}

/**
 * One Illinois regula-falsi update of a monitor's search after a trial step. When located,
 * records the crossing and returns the step `base → located point` to re-check (other monitors
 * and the stop conditions); else returns the row to the base point and undefined.
 */
export function advanceMonitorLocate(
  rec: RunRecord,
  ctx: CrossingContext,
): { before: RowState; prevObs: RunObservation } | undefined {
  const l = rec.locate!;
  const mon = l.monitor!;
  const m = ctx.monitors[mon.index]!;
  const g = mon.sign * levelValue(m, rec.obs, rec.row.y, ctx.net.depth);
  if (!illinoisStep(rec, g, ctx.locateTol)) return undefined;
  rec.sides[mon.index] = mon.sign;
  record(rec, m, mon.sign, rec.row, rec.obs, ctx);
  return { before: l.base, prevObs: mon.baseObs };
}
