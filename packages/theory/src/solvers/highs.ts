/**
 * Loading HiGHS (WebAssembly) once, and a thin dense-input wrapper for LPs and convex QPs.
 * @internal
 */
import highsImport from 'highs';
import type { Highs } from 'highs';

// `highs` is CommonJS (`module.exports = loader; module.exports.default = loader`) with an ESM
// build whose default export is the loader: accept either shape.
type Loader = typeof highsImport.default;
const imported = highsImport as unknown as Loader | { default: Loader };
const highsLoader: Loader = typeof imported === 'function' ? imported : imported.default;

let runtime: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded on first use (about 90 ms) and shared afterwards. */
export function loadHighs(): Promise<Highs> {
  if (runtime === undefined) runtime = highsLoader();
  return runtime;
}

/** A dense LP/QP: minimize `½ xᵀ diag(hessianDiag) x + costᵀx` s.t. `rowLower ≤ M x ≤ rowUpper`, bounds on x. */
export interface DenseProgram {
  readonly numCols: number;
  readonly cost: ArrayLike<number>;
  readonly colLower: ArrayLike<number>;
  readonly colUpper: ArrayLike<number>;
  /** Constraint rows, row-major `numRows × numCols`. */
  readonly rows: ArrayLike<number>;
  readonly numRows: number;
  readonly rowLower: ArrayLike<number>;
  readonly rowUpper: ArrayLike<number>;
  /** Diagonal of the Hessian (a QP) or absent (an LP). */
  readonly hessianDiag?: ArrayLike<number>;
}

/** What came back from HiGHS. */
export interface ProgramResult {
  /** `'optimal'`, `'infeasible'`, `'unbounded'` or the HiGHS status name otherwise. */
  readonly status: string;
  readonly x: Float64Array;
  readonly rowDual: Float64Array;
  readonly objective: number;
}

/** Solve a dense program with HiGHS (quiet, default algorithm choice). */
export async function solveDense(
  p: DenseProgram,
  options: Record<string, string | number | boolean> = {},
): Promise<ProgramResult> {
  const highs = await loadHighs();
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < p.numRows; i++) {
    for (let j = 0; j < p.numCols; j++) {
      const v = p.rows[i * p.numCols + j]!;
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    }
    starts.push(indices.length);
  }
  const inf = highs.infinity;
  const bound = (a: ArrayLike<number>): Float64Array =>
    Float64Array.from(a, (v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
  const hess = p.hessianDiag;
  const model = {
    numCols: p.numCols,
    numRows: p.numRows,
    colCost: Float64Array.from(p.cost),
    colLower: bound(p.colLower),
    colUpper: bound(p.colUpper),
    rowLower: bound(p.rowLower),
    rowUpper: bound(p.rowUpper),
    matrix: {
      format: 'csr' as const,
      numRows: p.numRows,
      numCols: p.numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    ...(hess !== undefined
      ? {
          hessian: {
            format: 'triangular' as const,
            dimension: p.numCols,
            starts: Int32Array.from({ length: p.numCols + 1 }, (_, j) => j),
            indices: Int32Array.from({ length: p.numCols }, (_, j) => j),
            values: Float64Array.from(hess),
          },
        }
      : {}),
  };
  return highs.withModel(model, (m) => {
    m.options.set({ output_flag: false, ...options });
    m.run();
    const code = m.getModelStatus();
    const names = Object.entries(highs.constants.modelStatus);
    const name = names.find(([, v]) => v === code)?.[0] ?? `status ${code}`;
    const sol = m.getSolution();
    return {
      status: name,
      x: Float64Array.from(sol.colValue),
      rowDual: Float64Array.from(sol.rowDual),
      objective: m.getObjectiveValue(),
    };
  });
}
