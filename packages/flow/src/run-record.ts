import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { layerNormInvariants, odecoInvariants, packedInvariants } from '@implicit-bias/networks';
import type { EventRecord, FlowStatus, Snapshot, StopReason } from './flow-types.js';
import type { RowState } from './integrator.js';
import type { SaveState } from './saving.js';

/** Loss quantities of one run at its current point. */
export interface RunObservation {
  loss: number;
  logLoss: number;
  margin: number;
}

/** An event being located by re-stepping from `base` (Illinois regula falsi on the step size). */
export interface LocateState {
  readonly reason: 'margin' | 'loss' | 'logLoss' | 'normalizedMargin';
  /** The target of `until[reason]` (or the monitor's level) the search was started for. */
  readonly target: number;
  /**
   * Set for a save level or event (not a stop target): its index among the solve's monitors,
   * the side it crosses to (`±1`) and the observation at `base` (to re-check the shortened step).
   */
  readonly monitor?: {
    readonly index: number;
    readonly sign: number;
    readonly baseObs: RunObservation;
  };
  /** The accepted point before the crossing step (its Jacobian is kept once computed). */
  readonly base: RowState;
  hLo: number;
  gLo: number;
  hHi: number;
  gHi: number;
  side: number;
  iterations: number;
  /** Controller state after the step that crossed, restored when located. */
  readonly after: { readonly h: number; readonly errPrev: number };
}

/** Everything the engine tracks for one run. */
export interface RunRecord {
  readonly index: number;
  row: RowState;
  status: 'running' | FlowStatus;
  stoppedBy: StopReason | undefined;
  message: string | undefined;
  obs: RunObservation;
  gMax: number;
  readonly layerInv0: Float64Array;
  readonly odecoInv0: Float64Array | undefined;
  layerDrift: number;
  odecoDrift: number;
  readonly saves: Snapshot[];
  readonly save: SaveState;
  locate: LocateState | undefined;
  /** Side (`±1`) of each save level and event monitor at the current point. */
  sides: number[];
  /** Snapshots taken for `save.margins` / `save.losses` (kept apart from the thinned schedule). */
  readonly levelSaves: Snapshot[];
  /** Event crossings so far (carried in checkpoints). */
  readonly events: EventRecord[];
}

/** Split a packed state into layer vectors. */
export function splitLayers(y: Float64Array, offsets: readonly number[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let l = 0; l + 1 < offsets.length; l++) out.push(y.slice(offsets[l], offsets[l + 1]));
  return out;
}

/** Euclidean norm of a vector. */
export function vecNorm(v: Float64Array): number {
  let s = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** The invariants at a point: layer norms and, for real odeco networks, per coordinate. */
export function invariantsAt(
  net: LinearTensorNetwork,
  layers: readonly Float64Array[],
): { layer: Float64Array; odeco: Float64Array | undefined } {
  return { layer: layerNormInvariants(layers), odeco: odecoInvariants(net, layers) };
}

/** Updates a run's invariant drift at its current point (see {@link driftMeter}). */
export type DriftMeter = (rec: RunRecord) => void;

/**
 * The drift check of a solve: `max |I(y) − I(y₀)|` over the layer-norm and odeco invariants at
 * every accepted point, folded into `rec.layerDrift` / `rec.odecoDrift`. The invariants are
 * evaluated on the packed row in place ({@link packedInvariants}: the values of
 * {@link invariantsAt}, bit for bit) into workspaces allocated once, so the check costs a pass
 * over the row and no allocation per run and step.
 */
export function driftMeter(net: LinearTensorNetwork, offsets: readonly number[]): DriftMeter {
  const inv = packedInvariants(net, offsets);
  const layer = new Float64Array(inv.layerCount);
  const odeco = inv.odecoCount === undefined ? undefined : new Float64Array(inv.odecoCount);
  return (rec) => {
    inv.evaluate(rec.row.y, 0, layer, odeco);
    rec.layerDrift = Math.max(rec.layerDrift, maxAbsDiff(layer, rec.layerInv0));
    if (odeco && rec.odecoInv0)
      rec.odecoDrift = Math.max(rec.odecoDrift, maxAbsDiff(odeco, rec.odecoInv0));
  };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A snapshot of a run's current point. */
export function snapshotOf(
  rec: RunRecord,
  net: LinearTensorNetwork,
  offsets: readonly number[],
): Snapshot {
  return snapshotAt(rec.row, rec.obs, net, offsets);
}

/** A snapshot of a point `row` with observation `obs`. */
export function snapshotAt(
  row: Pick<RowState, 't' | 'y'>,
  obs: RunObservation,
  net: LinearTensorNetwork,
  offsets: readonly number[],
): Snapshot {
  const params = splitLayers(row.y, offsets);
  const norm = vecNorm(row.y);
  return {
    time: row.t,
    params,
    beta: net.endToEndHost(params),
    loss: obs.loss,
    logLoss: obs.logLoss,
    margin: obs.margin,
    normalizedMargin: obs.margin / Math.pow(norm, net.depth),
  };
}

/**
 * Move a row back to a saved point, keeping its work counters. The stepper state is restored too
 * (radau5's continuation, auto's stepper and stiffness count), so that a step retaken from `base`
 * starts as the one that left `base` did.
 */
export function restoreRow(row: RowState, base: RowState): void {
  row.state = base.state;
  row.t = base.t;
  row.y = base.y;
  row.f = base.f;
  row.h = base.h;
  row.errPrev = base.errPrev;
  row.jacobian = base.jacobian;
}

/**
 * One Illinois regula-falsi step of the event search in `rec.locate` (a stop target, a save level
 * or an event), after a trial step from its base point whose event value is `g` (< 0 before the
 * crossing). Located when `|g| ≤ locateTol`, after 60 iterations, or when the bracket cannot
 * shrink: the search ends, the row keeps the trial point with the step size it had after the
 * crossing step, and true is returned. Otherwise the bracket narrows (halving the stale end's
 * value, Illinois) and the row returns to the base point.
 */
export function illinoisStep(rec: RunRecord, g: number, locateTol: number): boolean {
  const l = rec.locate!;
  const h = rec.row.t - l.base.t;
  l.iterations += 1;
  const tiny = l.hHi - l.hLo <= 4e-16 * Math.max(Math.abs(rec.row.t), l.hHi);
  if (Number.isFinite(g) && (Math.abs(g) <= locateTol || l.iterations >= 60 || tiny)) {
    rec.locate = undefined;
    rec.row.h = l.after.h;
    rec.row.errPrev = l.after.errPrev;
    return true;
  }
  if (!(g >= 0)) {
    l.hLo = h;
    l.gLo = Number.isFinite(g) ? g : l.gLo;
    if (l.side === -1) l.gHi /= 2;
    l.side = -1;
  } else {
    l.hHi = h;
    l.gHi = g;
    if (l.side === 1) l.gLo /= 2;
    l.side = 1;
  }
  restoreRow(rec.row, l.base);
  return false;
}

/**
 * Signed distance to an event target, ≥ 0 once it is reached, scaled to be relative
 * (margin: `(m − target)/|target|`; loss and log-loss in log space).
 */
export function eventValue(
  reason: 'margin' | 'loss' | 'logLoss',
  target: number,
  obs: RunObservation,
): number {
  if (reason === 'margin') return (obs.margin - target) / Math.max(Math.abs(target), 1e-300);
  if (reason === 'loss') {
    const lt = Math.log(target);
    return (lt - obs.logLoss) / Math.max(1, Math.abs(lt));
  }
  return (target - obs.logLoss) / Math.max(1, Math.abs(target));
}
