import { tolerance } from '@implicit-bias/core';
import type { Backend } from '@implicit-bias/backend';
import type { CaseContext, ConformanceCase } from './context.js';
import { elementwiseCases } from './cases-elementwise.js';
import { reduceCases } from './cases-reduce.js';
import { linalgCases } from './cases-linalg.js';
import { layoutCases } from './cases-layout.js';
import { semanticsCases } from './cases-semantics.js';

/** Every check of the Backend contract, grouped, in a stable order. */
export function conformanceCases(): ConformanceCase[] {
  return [
    ...layoutCases(),
    ...elementwiseCases(),
    ...reduceCases(),
    ...linalgCases(),
    ...semanticsCases(),
  ];
}

/** The case context of a backend: tolerances from its precision. */
export function caseContext(backend: Backend): CaseContext {
  return {
    backend,
    precision: backend.precision,
    tol: (ops = 16) => tolerance(backend.precision, ops),
  };
}

/** One failed case of {@link checkConformance}. */
export interface ConformanceFailure {
  readonly name: string;
  readonly message: string;
}

/**
 * Run every conformance case (or those given) against a backend outside jest and list the
 * failures; an empty list means the backend conforms.
 */
export async function checkConformance(
  backend: Backend,
  cases: readonly ConformanceCase[] = conformanceCases(),
): Promise<ConformanceFailure[]> {
  const ctx = caseContext(backend);
  const failures: ConformanceFailure[] = [];
  for (const c of cases) {
    try {
      await c.run(ctx);
    } catch (e) {
      failures.push({ name: c.name, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return failures;
}
