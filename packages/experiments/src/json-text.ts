/**
 * JSON text whose numbers round-trip, non-finite ones included: `Infinity`, `-Infinity` and
 * `NaN` are written as the strings `"Infinity"`, `"-Infinity"` and `"NaN"` (plain
 * `JSON.stringify` turns them into `null`, which reads back as a different value).
 *
 * @param space indentation, as for `JSON.stringify`
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    space,
  );
}

const NON_FINITE: Readonly<Record<string, number>> = {
  Infinity: Infinity,
  '-Infinity': -Infinity,
  NaN: NaN,
};

/**
 * Parse JSON written by {@link stringifyJson}: the strings `"Infinity"`, `"-Infinity"` and
 * `"NaN"` become the numbers again (anywhere in the value, so use it only for such files).
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    typeof v === 'string' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v,
  ) as unknown;
}
