// Pure estimates of tools/bench/run.mjs for methods that did not reach the tolerance within
// their budget (labelled as estimates in the report; tested in tools/tests/bench.test.ts).

/**
 * The error level where fixed-step gd stalls: its own limit differs from the flow's by O(h).
 * Only judged once gd has passed `flowTime` (where the exact flow is within the tolerance; before
 * it, a flat error is the flow's own plateau, e.g. the escape from a small initialization), and
 * detected when the error changed by less than 1% over the last half of the flow time reached.
 */
export function plateauOf(m, flowTime) {
  if (!m || m.reached || !m.trace || m.trace.length < 4 || flowTime === undefined) return undefined;
  const last = m.trace[m.trace.length - 1];
  if (!(last.t >= flowTime)) return undefined;
  const mid = m.trace.find((p) => p.t >= last.t / 2);
  if (!mid || mid === last || !(last.err > 0)) return undefined;
  return Math.abs(mid.err - last.err) <= 0.01 * last.err ? last.err : undefined;
}

/**
 * Wall-time estimates of fixed-step gd that did not reach the tolerance, at its measured wall
 * time per step: `lowerBoundS` to reach the flow time at which the exact flow is within the
 * tolerance (what any fixed step h needs at least), and `extrapolatedS` to reach the tolerance
 * itself, which needs the step shrunk to h·tol/plateau when gd's limit sits at a plateau
 * (its error ∝ h) — an estimate, labelled so in the report.
 */
export function gdEstimate(m, flowTime, step, tol, plateau) {
  if (m.reached || flowTime === undefined || !(m.steps > 0)) return;
  const perStep = m.wallS / m.steps;
  m.lowerBoundS = (perStep * flowTime) / step;
  if (plateau !== undefined) {
    const hNeeded = (step * tol) / plateau;
    m.plateau = plateau;
    m.stepNeeded = hNeeded;
    m.extrapolatedS = (perStep * flowTime) / hNeeded;
    m.extrapolatedEvals = flowTime / hNeeded;
    m.status = `stalls at error ${plateau.toExponential(2)} (gd's own limit, ∝ h)`;
  } else {
    m.extrapolatedS = m.lowerBoundS;
    m.extrapolatedEvals = flowTime / step;
  }
}

/** Estimated wall time to the flow time at which the exact flow is within tolerance. */
export function extrapolate(m, flowTime) {
  if (m.reached || flowTime === undefined || !(m.time > 0) || !Number.isFinite(m.error)) return;
  m.extrapolatedS = (m.wallS * flowTime) / m.time;
  m.extrapolatedEvals = (m.fieldEvals * flowTime) / m.time;
}
