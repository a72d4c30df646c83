import type { FlowSolution } from '../flow-types.js';

/**
 * Test helper: every number of a solution and of its checkpoint, wall time aside, as text that
 * tells every double apart (`-0` and NaN included), so that two solves compare bit for bit.
 */
export function fingerprint(s: FlowSolution): string {
  const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return num(v);
    if (v instanceof Float64Array) return Array.from(v, num);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const { checkpoint, stats, ...rest } = s;
  const cp = { ...checkpoint(), wallMs: 0 };
  return JSON.stringify(walk({ ...rest, stats: { ...stats, wallMs: 0 }, cp }));
}
