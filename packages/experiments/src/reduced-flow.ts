// Deprecated re-exports: the reduced field moved to @implicit-bias/theory (beside the Q potential).
import { reducedFlowField as theoryReducedFlowField } from '@implicit-bias/theory';
import type * as theory from '@implicit-bias/theory';

/**
 * The reduced field of an odeco regression.
 *
 * @deprecated Moved to `@implicit-bias/theory`: import `reducedFlowField` from there. This
 * re-export is removed in the next minor version.
 */
export const reducedFlowField: typeof theoryReducedFlowField = theoryReducedFlowField;

/**
 * A squared-loss regression with a real odeco network and an odeco initialization.
 *
 * @deprecated Moved to `@implicit-bias/theory` (`ReducedFlowProblem`).
 */
export type ReducedFlowProblem = theory.ReducedFlowProblem;

/**
 * The reduced gradient flow as an n-dimensional vector field.
 *
 * @deprecated Moved to `@implicit-bias/theory` (`ReducedFlowField`).
 */
export type ReducedFlowField = theory.ReducedFlowField;

/**
 * Settings of the reduced field.
 *
 * @deprecated Moved to `@implicit-bias/theory` (`ReducedFieldSettings`).
 */
export type ReducedFieldSettings = theory.ReducedFieldSettings;
