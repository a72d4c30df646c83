/** A plotted series: x and y values of the same length. */
export interface Series {
  /** x values. */
  readonly x: readonly number[];
  /** y values (non-finite and, on a log axis, non-positive values are skipped). */
  readonly y: readonly number[];
}

const SVG = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 220;
const PAD = { left: 56, right: 10, top: 10, bottom: 28 };

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0)
    ? v.toExponential(0)
    : String(Number(v.toPrecision(3)));
}

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < hi)) return [lo - 1, hi + 1];
  return [lo, hi];
}

/**
 * Draw a line chart of `series` into `svg` (replacing its content): linear x, linear or
 * log-10 y, axes labelled at their ends. Plain SVG, so it redraws cheaply on every frame.
 */
export function lineChart(
  svg: SVGSVGElement,
  series: Series,
  options: { logY?: boolean } = {},
): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const logY = options.logY ?? false;
  const pts: [number, number][] = [];
  series.x.forEach((x, i) => {
    const y = series.y[i]!;
    if (Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0))
      pts.push([x, logY ? Math.log10(y) : y]);
  });
  if (pts.length === 0) return;
  const [x0, x1] = extent(pts.map((p) => p[0]));
  const [y0, y1] = extent(pts.map((p) => p[1]));
  const sx = (x: number): number => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number): number =>
    H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const yLabel = (v: number): string => (logY ? `1e${Math.round(v)}` : fmt(v));
  svg.append(
    el('line', {
      x1: PAD.left,
      y1: H - PAD.bottom,
      x2: W - PAD.right,
      y2: H - PAD.bottom,
      stroke: '#888',
    }),
    el('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, stroke: '#888' }),
    el('text', { x: PAD.left, y: H - 8, 'font-size': 11 }, fmt(x0)),
    el(
      'text',
      { x: W - PAD.right, y: H - 8, 'font-size': 11, 'text-anchor': 'end' },
      `t = ${fmt(x1)}`,
    ),
    el(
      'text',
      { x: PAD.left - 4, y: H - PAD.bottom, 'font-size': 11, 'text-anchor': 'end' },
      yLabel(y0),
    ),
    el(
      'text',
      { x: PAD.left - 4, y: PAD.top + 10, 'font-size': 11, 'text-anchor': 'end' },
      yLabel(y1),
    ),
    el('path', {
      d: pts
        .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
        .join(''),
      fill: 'none',
      stroke: '#1f77b4',
      'stroke-width': 1.5,
    }),
  );
}

/** Draw β (bars) against the prediction β* (dots), one coordinate per slot. */
export function betaChart(
  svg: SVGSVGElement,
  beta: ArrayLike<number>,
  predicted: ArrayLike<number> | undefined,
): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const all = [...Array.from(beta), ...(predicted ? Array.from(predicted) : []), 0].filter(
    Number.isFinite,
  );
  const m = Math.max(...all.map(Math.abs), 1e-12);
  const d = beta.length;
  const slot = (W - PAD.left - PAD.right) / Math.max(d, 1);
  const mid = (H - PAD.bottom + PAD.top) / 2;
  const sy = (v: number): number => mid - (v / m) * (mid - PAD.top);
  svg.append(
    el('line', { x1: PAD.left, y1: mid, x2: W - PAD.right, y2: mid, stroke: '#888' }),
    el('text', { x: PAD.left - 4, y: PAD.top + 10, 'font-size': 11, 'text-anchor': 'end' }, fmt(m)),
    el(
      'text',
      { x: PAD.left - 4, y: H - PAD.bottom, 'font-size': 11, 'text-anchor': 'end' },
      fmt(-m),
    ),
    el('text', { x: PAD.left, y: H - 8, 'font-size': 11 }, `coordinates 1…${d}`),
  );
  for (let j = 0; j < d; j++) {
    const v = beta[j]!;
    const x = PAD.left + j * slot;
    svg.append(
      el('rect', {
        x: x + slot * 0.15,
        y: Math.min(sy(v), mid),
        width: slot * 0.7,
        height: Math.abs(sy(v) - mid),
        fill: '#9ecae1',
      }),
    );
    const p = predicted?.[j];
    if (p !== undefined)
      svg.append(el('circle', { cx: x + slot / 2, cy: sy(p), r: 3.5, fill: '#d62728' }));
  }
}
