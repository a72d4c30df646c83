/**
 * An autonomous vector field `dy/dt = F(y)` evaluated for a batch of independent rows.
 *
 * `y` holds `rows` states of length `dim` back to back (row-major `[rows, dim]`); the result has
 * the same layout. Rows never interact, so a row's result must not depend on the other rows:
 * this is what lets batched runs reproduce sequential ones bit for bit.
 *
 * The type lives in core so that a field can be written by a package that must not depend on the
 * integrators (`@implicit-bias/theory`'s reduced flow) and integrated by `@implicit-bias/flow`.
 */
export interface VectorField {
  /** Length of one state. */
  readonly dim: number;
  /**
   * `F` applied to every row of `y` (`[rows, dim]`), returning a `[rows, dim]` array.
   * `runs[i]`, when given, is the run that row i belongs to: a field whose runs differ (one data
   * set per run) evaluates each row with its run's data; other fields ignore it.
   *
   * `out`, when given, is a caller-owned workspace of at least `rows·dim` entries, not
   * overlapping `y`, that the field may write the result into and return (a hot loop then
   * allocates nothing); a field may also ignore it and return a new array, so callers always
   * use the returned array.
   */
  evaluate(
    y: Float64Array,
    rows: number,
    runs?: readonly number[],
    out?: Float64Array,
  ): Float64Array;
  /**
   * Optional exact Jacobians `∂F/∂y` of every row, row-major `[rows, dim, dim]` (`runs` as in
   * `evaluate`); steppers that need a Jacobian fall back to central differences of `evaluate`
   * without it.
   */
  jacobian?(y: Float64Array, rows: number, runs?: readonly number[]): Float64Array;
  /**
   * True when every matrix `jacobian` returns is symmetric, as for a gradient flow `F = −∇Φ`
   * (its Jacobian is the negated Hessian of Φ). radau5 then reduces each Jacobian once to
   * tridiagonal form (`J = Q·T·Qᵀ`) and solves the Newton systems of every step size from it in
   * O(dim²), where a general Jacobian needs two dense factorizations (O(dim³)) whenever the step
   * size changes. A field that declares it must return exactly symmetric matrices.
   */
  readonly symmetricJacobian?: boolean;
}
