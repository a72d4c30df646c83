/**
 * The error codes used across implicit-bias. Every thrown error carries one.
 *
 * - `SHAPE_MISMATCH`: an array or matrix has the wrong shape or size.
 * - `NON_FINITE`: NaN or ±Infinity where a finite number is required.
 * - `NOT_SEPARABLE`: classification data admits no separator (in the transformed space).
 * - `RANK_DEFICIENT`: a linear system has dependent rows where full rank is required.
 * - `BACKEND_UNAVAILABLE`: a requested backend is unknown or cannot run here.
 * - `INVALID_CONFIG`: a configuration or argument value is invalid.
 * - `INVALID_DATA`: user data (a file, a table) is malformed.
 * - `MAX_STEPS`: an iteration hit its step limit (only with `throwOnFailure`).
 * - `INTERNAL`: a bug in implicit-bias; please report it.
 */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE'
  | 'NOT_SEPARABLE'
  | 'RANK_DEFICIENT'
  | 'BACKEND_UNAVAILABLE'
  | 'INVALID_CONFIG'
  | 'INVALID_DATA'
  | 'MAX_STEPS'
  | 'INTERNAL';

/** Every error code, for validation and documentation. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'SHAPE_MISMATCH',
  'NON_FINITE',
  'NOT_SEPARABLE',
  'RANK_DEFICIENT',
  'BACKEND_UNAVAILABLE',
  'INVALID_CONFIG',
  'INVALID_DATA',
  'MAX_STEPS',
  'INTERNAL',
];

/** Extra information attached to an {@link ImplicitBiasError}. */
export interface ErrorDetails {
  /** Where the problem is: a field (`'network.depth'`) or a location (`'row 3, column 2'`). */
  readonly path?: string;
  /** Machine-readable context (for example the best achievable margin for `NOT_SEPARABLE`). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
}

/**
 * The brand every {@link ImplicitBiasError} carries. It is a registered symbol
 * (`Symbol.for`), so errors thrown by one copy of `@implicit-bias/core` are recognized by another
 * copy (npm nests a second copy when two versions meet in one dependency tree).
 */
const ERROR_BRAND: unique symbol = Symbol.for('@implicit-bias/core:ImplicitBiasError') as never;

function hasBrand(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && (v as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/**
 * The one error class of implicit-bias. Messages say what happened and what to do;
 * `code` is stable for programs, `path` names the offending field or location.
 *
 * Recognized by a brand, not by prototype identity: `e instanceof ImplicitBiasError` and
 * {@link isImplicitBiasError} are true for errors created by any copy or version of this package.
 */
export class ImplicitBiasError extends Error {
  /**
   * Brand check behind `instanceof`, so that it holds across copies of the package. Subclasses
   * keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === ImplicitBiasError) return hasBrand(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** Stable machine-readable category. */
  readonly code: ErrorCode;
  /** The field or location at fault, when there is one. */
  readonly path: string | undefined;
  /** Machine-readable context. */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    const where = details.path !== undefined ? `${details.path}: ` : '';
    super(`${where}${message}`, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'ImplicitBiasError';
    this.code = code;
    this.path = details.path;
    this.data = details.data;
    Object.defineProperty(this, ERROR_BRAND, { value: true, enumerable: false });
  }
}

/**
 * True when `e` is an {@link ImplicitBiasError} (from this or any other copy of
 * `@implicit-bias/core`), optionally with the given code.
 */
export function isImplicitBiasError(e: unknown, code?: ErrorCode): e is ImplicitBiasError {
  return hasBrand(e) && (code === undefined || (e as ImplicitBiasError).code === code);
}
