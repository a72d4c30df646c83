import { ImplicitBiasError } from '@implicit-bias/core';
import type { SweepRun } from './spec.js';

/** A slice of a sweep: shard `index` of `count` (0-based). */
export interface Shard {
  /** 0-based shard index, below `count`. */
  readonly index: number;
  /** Number of shards. */
  readonly count: number;
}

const INT = /^(0|[1-9][0-9]*)$/;

function checked(index: number, count: number, path: string, fix: string): Shard {
  if (count < 1)
    throw new ImplicitBiasError('INVALID_CONFIG', `shard count must be ≥ 1, got ${count}; ${fix}`, {
      path,
    });
  if (index >= count)
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `shard index ${index} is not below the shard count ${count} (indices are 0-based); ${fix}`,
      { path },
    );
  return { index, count };
}

/** Parse `--shard i/N` (0 ≤ i < N). Throws `INVALID_CONFIG` naming `--shard`. */
export function parseShard(text: string): Shard {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  if (!m || !INT.test(m[1]!) || !INT.test(m[2]!))
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `expected i/N with 0 ≤ i < N (e.g. 0/4), got '${text}'`,
      { path: '--shard' },
    );
  return checked(Number(m[1]), Number(m[2]), '--shard', 'use e.g. --shard 0/4');
}

function envInt(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!INT.test(v.trim()))
    throw new ImplicitBiasError('INVALID_CONFIG', `must be a non-negative integer, got '${v}'`, {
      path: name,
    });
  return Number(v.trim());
}

/**
 * The shard a cluster scheduler assigned through the environment, if any:
 * SLURM job arrays (`SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_COUNT`, and
 * `SLURM_ARRAY_TASK_MIN` subtracted so `--array=1-8` works too) or a Kubernetes Indexed Job
 * (`JOB_COMPLETION_INDEX` with the completions count given as `completions`, from
 * `--completions` or the `JOB_COMPLETIONS` variable).
 */
export function shardFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  completions?: number,
): Shard | undefined {
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined)
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; submit with sbatch --array=0-(N-1) or pass --shard i/N',
        { path: 'SLURM_ARRAY_TASK_COUNT' },
      );
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    return checked(slurmId - min, count, 'SLURM_ARRAY_TASK_ID', 'use a contiguous --array range');
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    const count = completions ?? envInt(env, 'JOB_COMPLETIONS');
    if (count === undefined)
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        'JOB_COMPLETION_INDEX is set but the completions count is unknown; pass --completions N or set JOB_COMPLETIONS to the Job’s spec.completions',
        { path: '--completions' },
      );
    return checked(
      k8s,
      count,
      'JOB_COMPLETION_INDEX',
      "set --completions to the Job's completions",
    );
  }
  return undefined;
}

/** The runs of a shard: every run whose expansion index is `index` modulo `count`. */
export function shardRuns(runs: readonly SweepRun[], shard: Shard): SweepRun[] {
  return runs.filter((r) => r.index % shard.count === shard.index);
}

/** The store file name of a shard in a store directory (`sweep.sqlite` when unsharded). */
export function storeFileName(shard: Shard): string {
  return shard.count === 1 ? 'sweep.sqlite' : `shard-${shard.index}-of-${shard.count}.sqlite`;
}
