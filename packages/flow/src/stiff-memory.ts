import { checkMemory, formatBytes, memoryBudget } from '@implicit-bias/networks';
import type { MethodName } from './integrator.js';
import type { StepperName } from './stepper.js';

/**
 * Dense `dim × dim` float64 matrices a stiff stepper holds per run at once: the Jacobian kept
 * with the row, its packed copy for the batched step, and the stepper's own ones — rodas4 its
 * iteration matrix `I/(γh) − J` and its LU (4 in all); radau5 the Jacobian it keeps across steps,
 * the real and complex LUs of Hairer's split (1 + 2), and, once a row switches to full Newton,
 * the stage Jacobians (3) and the LU of the dense `3·dim` stage matrix (9): 18.
 */
export const JACOBIAN_MATRICES: Readonly<Record<'rodas4' | 'radau5', number>> = {
  rodas4: 4,
  radau5: 18,
};

/** Estimated bytes the Jacobians of `runs` runs of a stiff stepper take. */
export function stiffBytes(stepper: 'rodas4' | 'radau5', dim: number, runs: number): number {
  return JACOBIAN_MATRICES[stepper] * 8 * dim * dim * runs;
}

/** What {@link checkStiffMemory} decided. */
export interface StiffMemory {
  /** `auto` may switch to radau5 (its Jacobians fit the budget). */
  readonly autoMaySwitch: boolean;
  /** Why `auto` may not switch (for the run's message), when it may not. */
  readonly autoNote?: string;
}

/**
 * Refuse, before anything is allocated, a stiff solve whose Jacobians cannot fit the memory
 * budget (`INVALID_CONFIG` at `options.method`, suggesting dopri5 or auto); `auto` keeps dopri5
 * instead of switching when radau5's would not fit. `steppers` are those runs already use (a
 * resumed `auto` run may be on radau5).
 */
export function checkStiffMemory(
  method: MethodName,
  steppers: readonly StepperName[],
  dim: number,
  runs: number,
  budget: number | undefined,
): StiffMemory {
  const used = new Set<StepperName>(steppers);
  if (method === 'rodas4' || method === 'radau5') used.add(method);
  for (const s of ['rodas4', 'radau5'] as const) {
    if (!used.has(s)) continue;
    checkMemory({
      bytes: stiffBytes(s, dim, runs),
      path: 'options.method',
      what: `method '${method}' (${s}) on ${runs} run(s) of ${dim} parameters`,
      how: `${JACOBIAN_MATRICES[s]} dense ${dim}×${dim} float64 matrices per run for its Jacobians`,
      fix:
        `use method: 'dopri5' (no Jacobian), or method: 'auto', which stays explicit when the ` +
        `Jacobians cannot fit; or solve fewer runs at once`,
      ...(budget !== undefined ? { budget } : {}),
    });
  }
  if (method !== 'auto') return { autoMaySwitch: true };
  const bytes = stiffBytes('radau5', dim, runs);
  const limit = memoryBudget(budget);
  if (bytes <= limit) return { autoMaySwitch: true };
  return {
    autoMaySwitch: false,
    autoNote:
      `method 'auto' detected stiffness but stayed with dopri5: radau5's Jacobians for ${runs} ` +
      `run(s) of ${dim} parameters need an estimated ${formatBytes(bytes)}, over the memory ` +
      `budget of ${formatBytes(limit)} (raise it with IMPLICIT_BIAS_MEMORY_BUDGET or ` +
      `options.memoryBudget, or solve fewer runs at once)`,
  };
}
