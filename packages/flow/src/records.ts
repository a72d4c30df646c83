import { FLOW_DEFAULTS } from './defaults.js';
import {
  packedInvariants,
  type LinearTensorNetwork,
  type PackedInvariants,
} from '@implicit-bias/networks';
import { monitorsOf } from './crossings.js';
import {
  rowFromJson,
  rowPointToJson,
  type EventCheckpoint,
  type FlowCheckpoint,
  type LocateCheckpoint,
} from './checkpoint.js';
import type { EventRecord, Snapshot, FlowOptions, FlowStatus, StopReason } from './flow-types.js';
import { initialStepSizes } from './initial-step.js';
import { ensureJacobians, newRow, type IntegratorSettings, type RowState } from './integrator.js';
import type { Stepper } from './stepper.js';
import type { NetworkField } from './network-field.js';
import { evaluateObservedOf, observationRows, type ObservationRows } from './observed-evaluate.js';
import { restoreRow, vecNorm, type LocateState, type RunRecord } from './run-record.js';
import { INITIAL_SAVE_RATIO } from './saving.js';

const NaN_OBS = { loss: Number.NaN, logLoss: Number.NaN, margin: Number.NaN };

/** The invariants of the packed row at `at` of `y`, into fresh arrays. */
function invariantsOf(inv: PackedInvariants, y: Float64Array, at: number) {
  const layerInv0 = new Float64Array(inv.layerCount);
  const odecoInv0 = inv.odecoCount === undefined ? undefined : new Float64Array(inv.odecoCount);
  inv.evaluate(y, at, layerInv0, odecoInv0);
  return { layerInv0, odecoInv0 };
}

/** Records of a fresh solve: `F`, loss and invariants at the initial points, first step sizes. */
export function freshRecords(
  field: NetworkField,
  net: LinearTensorNetwork,
  init: readonly Float64Array[],
  options: FlowOptions,
  settings: IntegratorSettings,
): RunRecord[] {
  const dim = field.dim;
  const n = init.length;
  const packed = new Float64Array(n * dim);
  init.forEach((y, i) => packed.set(y, i * dim));
  const runs = init.map((_, i) => i);
  // F and the observation of the initial points: one evaluation when the field observes as it
  // evaluates, else an evaluation and an observation
  const byProduct = evaluateObservedOf(field);
  let f0: Float64Array;
  let obs: ObservationRows;
  if (byProduct) {
    obs = observationRows(n);
    f0 = byProduct(packed, n, runs, obs);
  } else {
    f0 = field.evaluate(packed, n, runs);
    obs = field.observe(packed, n, runs);
  }
  const stepper = settings.stepper;
  // rows hold views of the packed points and of F there (never written), so that the first step
  // packs them without a copy, as every later one
  const rows = init.map((_, i) => {
    const r = newRow(
      0,
      packed.subarray(i * dim, (i + 1) * dim),
      f0.subarray(i * dim, (i + 1) * dim),
      options.stepSize ?? 0,
      stepper,
    );
    r.fieldEvals = 1;
    r.run = i;
    return r;
  });
  if (settings.adaptive && options.stepSize === undefined) {
    initialStepSizes(field, rows, stepper.order, settings.controller, settings.hMax);
  }
  // the invariants at the initial points, evaluated on the packed rows in place (the values of
  // invariantsAt, bit for bit; see packedInvariants)
  const inv = packedInvariants(net, field.offsets);
  return rows.map((row, i) => ({
    ...invariantsOf(inv, packed, i * dim),
    index: i,
    row,
    status: 'running',
    stoppedBy: undefined,
    message: undefined,
    obs: { loss: obs.loss[i]!, logLoss: obs.logLoss[i]!, margin: obs.margin[i]! },
    gMax: vecNorm(row.f),
    layerDrift: 0,
    odecoDrift: 0,
    saves: [],
    save: { nextSave: Number.NaN, ratio: INITIAL_SAVE_RATIO, timesIndex: 0 },
    locate: undefined,
    sides: [],
    levelSaves: [],
    events: [],
  }));
}

/** The event search of a checkpoint, serialized. */
export function locateToJson(l: LocateState, stepper: Stepper): LocateCheckpoint {
  return {
    reason: l.reason,
    target: l.target,
    base: rowPointToJson(l.base, stepper),
    hLo: l.hLo,
    gLo: l.gLo,
    hHi: l.hHi,
    gHi: l.gHi,
    side: l.side,
    iterations: l.iterations,
    afterH: l.after.h,
    afterErrPrev: l.after.errPrev,
    monitor: l.monitor === undefined ? null : { index: l.monitor.index, sign: l.monitor.sign },
  };
}

const encode = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const decode = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

/** A recorded event crossing, serialized (non-finite numbers as strings). */
export function eventToJson(e: EventRecord): EventCheckpoint {
  return {
    ...e,
    loss: encode(e.loss),
    logLoss: encode(e.logLoss),
    margin: encode(e.margin),
    normalizedMargin: encode(e.normalizedMargin),
    paramNorm: encode(e.paramNorm),
  };
}

function eventFromJson(e: EventCheckpoint): EventRecord {
  return {
    ...e,
    loss: decode(e.loss),
    logLoss: decode(e.logLoss),
    margin: decode(e.margin),
    normalizedMargin: decode(e.normalizedMargin),
    paramNorm: decode(e.paramNorm),
  };
}

/** Merge the level snapshots into the schedule's, by time (a level one replaces an equal-time one). */
export function mergeSaves(saves: readonly Snapshot[], levels: readonly Snapshot[]): Snapshot[] {
  if (levels.length === 0) return [...saves];
  const times = new Set(levels.map((s) => s.time));
  const out = saves.filter((s) => !times.has(s.time));
  for (const l of levels) {
    let i = out.length;
    while (i > 0 && out[i - 1]!.time > l.time) i -= 1;
    out.splice(i, 0, l);
  }
  return out;
}

/**
 * Records restored from a checkpoint; runs stopped by a condition become active again. An event
 * search in progress continues when the options still ask for it (same method, event location
 * on, same target); otherwise the run goes back to the search's base point and retakes the step.
 * Jacobians the interrupted solve held are recomputed without being counted.
 */
export function resumedRecords(
  field: NetworkField,
  net: LinearTensorNetwork,
  cp: FlowCheckpoint,
  options: FlowOptions,
  stepper: Stepper,
): RunRecord[] {
  const method = options.method ?? FLOW_DEFAULTS.method;
  const dim = field.dim;
  const packed = new Float64Array(cp.runs.length * dim);
  cp.runs.forEach((r, i) => packed.set(r.y, i * dim));
  const obs = field.observe(
    packed,
    cp.runs.length,
    cp.runs.map((_, i) => i),
  );
  const known: RowState[] = [];
  const times = options.save?.times;
  const monitors = monitorsOf(options);
  const records = cp.runs.map((c, i) => {
    // another method restarts the stepper state
    const restart = cp.method !== method;
    const row = rowFromJson(c, stepper);
    row.run = i;
    let rowJacobianKnown = c.jacobianKnown === true;
    let locate: LocateState | undefined;
    const l = c.locate;
    if (l !== undefined && l !== null) {
      const base = rowFromJson(l.base, stepper);
      base.run = i;
      const mon = l.monitor ?? undefined;
      const watched = mon === undefined ? undefined : monitors[mon.index];
      const keep =
        cp.method === method &&
        (options.locateEvents ?? true) &&
        (mon === undefined
          ? l.reason !== 'normalizedMargin' && options.until[l.reason] === l.target
          : watched !== undefined && watched.on === l.reason && watched.value === l.target);
      if (keep) {
        if (l.base.jacobianKnown === true) known.push(base);
        locate = {
          reason: l.reason,
          target: l.target,
          base,
          hLo: l.hLo,
          gLo: l.gLo,
          hHi: l.hHi,
          gHi: l.gHi,
          side: l.side,
          iterations: l.iterations,
          after: { h: l.afterH, errPrev: l.afterErrPrev },
          ...(mon !== undefined
            ? // the base observation is recomputed below
              { monitor: { index: mon.index, sign: mon.sign, baseObs: NaN_OBS } }
            : {}),
        };
      } else {
        restoreRow(row, base);
        row.jacobian = undefined;
        rowJacobianKnown = false;
      }
    }
    if (rowJacobianKnown) known.push(row);
    if (restart) {
      row.state = stepper.init();
      row.errPrev = 1e-4;
    }
    const final = c.status === 'non-finite' || c.status === 'stalled';
    // explicit save times: continue after the last one passed (older checkpoints lack the index)
    let timesIndex = c.saveTimesIndex ?? 0;
    if (c.saveTimesIndex === undefined && times !== undefined) {
      while (timesIndex < times.length && times[timesIndex]! <= row.t) timesIndex += 1;
    }
    const rec: RunRecord = {
      index: i,
      row,
      status: final ? (c.status as FlowStatus) : 'running',
      stoppedBy: final ? ((c.stoppedBy ?? undefined) as StopReason | undefined) : undefined,
      message: final ? (c.message ?? undefined) : undefined,
      obs: { loss: obs.loss[i]!, logLoss: obs.logLoss[i]!, margin: obs.margin[i]! },
      gMax: c.gMax,
      layerInv0: Float64Array.from(c.layerInv0),
      odecoInv0: c.odecoInv0 === null ? undefined : Float64Array.from(c.odecoInv0),
      layerDrift: c.layerDrift,
      odecoDrift: c.odecoDrift,
      saves: [],
      save: { nextSave: c.nextSave ?? Number.NaN, ratio: c.saveRatio, timesIndex },
      locate,
      sides: c.monitorSides?.length === monitors.length ? [...c.monitorSides] : [],
      levelSaves: [],
      events: (c.events ?? []).map(eventFromJson),
    };
    return rec;
  });
  // a row restored to its search base point has the observation of that point
  const moved = records.filter((r, i) => r.row.t !== cp.runs[i]!.t);
  if (moved.length > 0) {
    const pts = new Float64Array(moved.length * dim);
    moved.forEach((r, k) => pts.set(r.row.y, k * dim));
    const o = field.observe(
      pts,
      moved.length,
      moved.map((r) => r.index),
    );
    moved.forEach((r, k) => {
      r.obs = { loss: o.loss[k]!, logLoss: o.logLoss[k]!, margin: o.margin[k]! };
    });
  }
  // monitor searches in progress: the observation at their base point
  const searching = records.filter((r) => r.locate?.monitor !== undefined);
  if (searching.length > 0) {
    const pts = new Float64Array(searching.length * dim);
    searching.forEach((r, k) => pts.set(r.locate!.base.y, k * dim));
    const o = field.observe(
      pts,
      searching.length,
      searching.map((r) => r.index),
    );
    searching.forEach((r, k) => {
      const m = r.locate!.monitor!;
      r.locate = {
        ...r.locate!,
        monitor: {
          ...m,
          baseObs: { loss: o.loss[k]!, logLoss: o.logLoss[k]!, margin: o.margin[k]! },
        },
      };
    });
  }
  ensureJacobians(field, known, false);
  return records;
}
