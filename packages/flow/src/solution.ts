import { eventToJson, locateToJson, mergeSaves } from './records.js';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { rowToJson, type FlowCheckpoint } from './checkpoint.js';
import type { FlowSolution, FlowStatus, InvariantDrift, RunResult } from './flow-types.js';
import type { MethodName, Stepper } from './stepper.js';
import type { NetworkField } from './network-field.js';
import { snapshotOf, vecNorm, type RunRecord } from './run-record.js';

/** Assemble the public result (and its checkpoint) from the records. */
export function buildSolution(
  records: readonly RunRecord[],
  field: NetworkField,
  net: LinearTensorNetwork,
  wallMs: number,
  method: MethodName,
  time: string,
  stepper: Stepper,
): FlowSolution {
  const offsets = field.offsets;
  // the schedule's snapshots and the current point (the records keep only the schedule's, so a
  // solution taken between chunks leaves the run as it was)
  const snaps = records.map((rec) => snapshotOf(rec, net, offsets));
  const saves = records.map((rec, k) => {
    const snap = snaps[k]!;
    const last = rec.saves[rec.saves.length - 1];
    return last === undefined || last.time !== snap.time ? [...rec.saves, snap] : [...rec.saves];
  });
  const runs: RunResult[] = records.map((rec, k) => {
    const snap = snaps[k]!;
    const drift: InvariantDrift =
      rec.odecoInv0 === undefined
        ? { layerNorm: rec.layerDrift }
        : { layerNorm: rec.layerDrift, odeco: rec.odecoDrift };
    const paused = rec.status === 'running';
    const message = paused
      ? `paused at t = ${rec.row.t} (step ${rec.row.accepted}): the advance() limit was reached before a stop condition; advance the run further to finish it`
      : rec.message;
    return {
      ...snap,
      status: rec.status,
      stoppedBy: paused ? 'paused' : (rec.stoppedBy ?? 'steps'),
      ...(message !== undefined ? { message } : {}),
      gradNorm: vecNorm(rec.row.f),
      steps: rec.row.accepted,
      stepper: stepper.describe(rec.row.state).stepper,
      invariantDrift: drift,
    };
  });
  const severity: readonly FlowStatus[] = [
    'non-finite',
    'stalled',
    'stiff',
    'max-steps',
    'max-time',
    'time-limit',
    'running',
    'converged',
  ];
  const status = severity.find((s) => runs.some((r) => r.status === s)) ?? 'converged';
  const odeco = runs.some((r) => r.invariantDrift.odeco !== undefined);
  const invariantDrift: InvariantDrift = {
    layerNorm: Math.max(0, ...runs.map((r) => r.invariantDrift.layerNorm)),
    ...(odeco ? { odeco: Math.max(0, ...runs.map((r) => r.invariantDrift.odeco ?? 0)) } : {}),
  };
  const sum = (k: 'accepted' | 'rejected' | 'fieldEvals' | 'jacobianEvals'): number =>
    records.reduce((a, r) => a + r.row[k], 0);
  // the checkpoint is built on the first `checkpoint()` call only (a solve that never asks for it
  // never pays the conversion of every vector to a JSON array): what it needs of the records is
  // taken now, the vectors as copies, so that nothing the engine changes later reaches it
  const frozen = records.map((rec) => ({
    row: { ...rec.row, y: rec.row.y.slice(), f: rec.row.f.slice() },
    status: rec.status,
    stoppedBy: rec.stoppedBy ?? null,
    message: rec.message ?? null,
    gMax: rec.gMax,
    layerInv0: rec.layerInv0,
    odecoInv0: rec.odecoInv0,
    layerDrift: rec.layerDrift,
    odecoDrift: rec.odecoDrift,
    nextSave: Number.isNaN(rec.save.nextSave) ? null : rec.save.nextSave,
    saveRatio: rec.save.ratio,
    saveTimesIndex: rec.save.timesIndex,
    locate: rec.locate === undefined ? null : locateToJson(rec.locate, stepper),
    monitorSides: [...rec.sides],
    events: rec.events.map(eventToJson),
  }));
  const checkpointOf = (): FlowCheckpoint => ({
    format: 'implicit-bias/flow-checkpoint',
    version: 1,
    method,
    time,
    dim: field.dim,
    wallMs,
    runs: frozen.map((r) => ({
      ...rowToJson(r.row, stepper),
      status: r.status,
      stoppedBy: r.stoppedBy,
      message: r.message,
      gMax: r.gMax,
      layerInv0: Array.from(r.layerInv0),
      odecoInv0: r.odecoInv0 === undefined ? null : Array.from(r.odecoInv0),
      layerDrift: r.layerDrift,
      odecoDrift: r.odecoDrift,
      nextSave: r.nextSave,
      saveRatio: r.saveRatio,
      saveTimesIndex: r.saveTimesIndex,
      locate: r.locate,
      monitorSides: r.monitorSides,
      events: r.events,
    })),
  });
  let json: string | undefined;
  const saved = records.map((r, k) => mergeSaves(saves[k]!, r.levelSaves));
  return {
    status,
    runs,
    saved,
    history: saved.map((ss) => ({
      time: ss.map((s) => s.time),
      loss: ss.map((s) => s.loss),
      logLoss: ss.map((s) => s.logLoss),
      margin: ss.map((s) => s.margin),
      normalizedMargin: ss.map((s) => s.normalizedMargin),
    })),
    events: records.map((r) => [...r.events]),
    stats: {
      accepted: sum('accepted'),
      rejected: sum('rejected'),
      fieldEvals: sum('fieldEvals'),
      jacobianEvals: sum('jacobianEvals'),
      wallMs,
    },
    invariantDrift,
    checkpoint: () => JSON.parse((json ??= JSON.stringify(checkpointOf()))) as FlowCheckpoint,
  };
}

/**
 * Throw for `throwOnFailure`, with the solution attached as `data.solution`. Codes: `NON_FINITE`;
 * `NOT_SEPARABLE` (classification stall); `RANK_DEFICIENT` (regression without an exact fit: y is
 * not in the column space of X); `INVALID_CONFIG` (a zero gradient: a stationary initialization or
 * all-zero data); `MAX_STEPS` for the caps, horizons, stiffness and wall-clock limits.
 */
export function throwFailure(solution: FlowSolution, classification: boolean): never {
  const i = solution.runs.findIndex((r) => r.status === solution.status);
  const r = solution.runs[i]!;
  const code =
    solution.status === 'non-finite'
      ? 'NON_FINITE'
      : solution.status === 'stalled'
        ? r.stoppedBy === 'stationary'
          ? 'INVALID_CONFIG'
          : classification
            ? 'NOT_SEPARABLE'
            : 'RANK_DEFICIENT'
        : 'MAX_STEPS';
  throw new ImplicitBiasError(code, `run ${i}: ${solution.status}: ${r.message ?? ''}`.trim(), {
    path: `runs[${i}]`,
    data: { solution },
  });
}
