import { ImplicitBiasError } from '@implicit-bias/core';

/**
 * The default memory budget: 4 GiB. A fixed default (not a fraction of the machine's memory) so
 * that a configuration is accepted or refused the same way on every machine; raise it with the
 * environment variable `IMPLICIT_BIAS_MEMORY_BUDGET` or the `memoryBudget` option.
 */
export const DEFAULT_MEMORY_BUDGET = 4 * 2 ** 30;

/**
 * Bytes a training run holds per parameter: the float64 parameters themselves, their gradient
 * and the integrator's working copies (dopri5 keeps seven stages, the state, the proposal and
 * the error estimate; the gradient keeps prefix and suffix products) — 16 vectors of 8 bytes.
 */
export const BYTES_PER_PARAMETER = 16 * 8;

/**
 * Bytes a training run holds per layer besides its parameters: the JavaScript objects of every
 * backend array a gradient evaluation creates for the layer (about 20, each with its header and
 * shape). This term bounds the depth: with the default budget, about 10⁶ layers.
 */
export const BYTES_PER_LAYER = 4096;

/** Environment variable that overrides {@link DEFAULT_MEMORY_BUDGET} (bytes, or with a unit). */
export const MEMORY_BUDGET_ENV = 'IMPLICIT_BIAS_MEMORY_BUDGET';

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
};

function envBudget(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.[MEMORY_BUDGET_ENV];
  return v === undefined || v.trim() === '' ? undefined : v;
}

function parseBudget(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!(Number.isFinite(bytes) && bytes > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a positive number of bytes, optionally with a unit (e.g. 8GiB, 500MB), got ${JSON.stringify(text)}`,
      { path: MEMORY_BUDGET_ENV },
    );
  }
  return bytes;
}

/**
 * The memory budget in bytes: `override` when given, else `IMPLICIT_BIAS_MEMORY_BUDGET` (a
 * number of bytes, optionally with a unit: `KiB`, `MiB`, `GiB`, `TiB`, `KB`, `MB`, `GB`, `TB`),
 * else {@link DEFAULT_MEMORY_BUDGET}.
 */
export function memoryBudget(override?: number): number {
  if (override !== undefined) {
    if (typeof override !== 'number' || !(override > 0) || Number.isNaN(override)) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `must be a number of bytes > 0, got ${String(override)}`,
        { path: 'memoryBudget' },
      );
    }
    return override;
  }
  const env = envBudget();
  return env === undefined ? DEFAULT_MEMORY_BUDGET : parseBudget(env);
}

/** `bytes` in the largest binary unit that keeps it ≥ 1, e.g. `74.5 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${Number(v.toPrecision(3))} ${units[i]}`;
}

/** What {@link checkMemory} checks. */
export interface MemoryCheck {
  /** Estimated bytes. */
  readonly bytes: number;
  /** The field at fault (`'depth'`, `'dim'`, `'hidden[0]'`, …). */
  readonly path: string;
  /** What needs the memory, e.g. `a diagonal network with depth = 10 and dim = 5`. */
  readonly what: string;
  /** How the estimate is made, e.g. `128 bytes per parameter and 4 KiB per layer`. */
  readonly how: string;
  /** What to do instead, e.g. `use fewer layers`. */
  readonly fix: string;
  /** Budget override (bytes); see {@link memoryBudget}. */
  readonly budget?: number;
}

/**
 * Throw `INVALID_CONFIG` at `check.path` when `check.bytes` exceeds the memory budget, with a
 * message naming the estimate, the budget and what to do; `data` carries both numbers
 * (`estimatedBytes`, `budgetBytes`).
 */
export function checkMemory(check: MemoryCheck): void {
  const budget = memoryBudget(check.budget);
  if (check.bytes <= budget) return;
  throw new ImplicitBiasError(
    'INVALID_CONFIG',
    `${check.what} needs an estimated ${formatBytes(check.bytes)} (${check.how}), over the memory budget of ${formatBytes(budget)}; ${check.fix}, or raise the budget with ${MEMORY_BUDGET_ENV}=<bytes> or the memoryBudget option`,
    { path: check.path, data: { estimatedBytes: check.bytes, budgetBytes: budget } },
  );
}

/**
 * Estimated bytes one training run of a network needs: {@link BYTES_PER_PARAMETER} per
 * parameter plus {@link BYTES_PER_LAYER} per layer, from the total parameter count and depth
 * (floating-point, so that absurd sizes give a huge estimate rather than overflow).
 */
export function runBytes(parameters: number, depth: number): number {
  return BYTES_PER_PARAMETER * parameters + BYTES_PER_LAYER * depth;
}

/** The estimate's description for messages. */
export const RUN_ESTIMATE = `${BYTES_PER_PARAMETER} bytes per parameter for the parameters, gradient and integrator copies, plus ${formatBytes(BYTES_PER_LAYER)} per layer`;

/** What {@link checkNetworkMemory} checks. */
export interface NetworkSize {
  /** The network, e.g. `a diagonal network with dim = 5 and depth = 10`. */
  readonly what: string;
  /** Total parameter count `Σ_l k_l` (floating-point: may be astronomically large). */
  readonly parameters: number;
  /** Depth L. */
  readonly depth: number;
  /** The largest layer: its size `k_l` and the field that sets it (`'dim'`, `'hidden[2]'`). */
  readonly largest: { readonly size: number; readonly path: string };
  /** The field that sets the depth (`'depth'`, `'hidden'`). */
  readonly depthPath: string;
  /** Extra bytes (e.g. user data tensors held by the network). */
  readonly extraBytes?: number;
  /** Budget override (bytes). */
  readonly budget?: number;
}

/**
 * Refuse a network one training run of which cannot fit the memory budget
 * ({@link runBytes}), before anything of its size is allocated. The error names the largest
 * layer's field when that layer alone does not fit, the depth's field otherwise.
 */
export function checkNetworkMemory(o: NetworkSize): void {
  const extra = o.extraBytes ?? 0;
  const bytes = runBytes(o.parameters, o.depth) + extra;
  const budget = memoryBudget(o.budget);
  if (bytes <= budget) return;
  const oneLayer = runBytes(o.largest.size, 1) + extra > budget;
  checkMemory({
    bytes,
    budget,
    path: oneLayer ? o.largest.path : o.depthPath,
    what: o.what,
    how: RUN_ESTIMATE + (extra > 0 ? `, plus ${formatBytes(extra)} of data tensors` : ''),
    fix: oneLayer ? `use a smaller ${o.largest.path}` : `use fewer layers (${o.depthPath})`,
  });
}
