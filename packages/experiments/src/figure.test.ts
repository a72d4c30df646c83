import { renderFigureSvg, vegaLiteSpec } from './figure.js';
import type { FigureSpec } from './figure.js';

const spec: FigureSpec = {
  id: 'demo',
  title: 'Distance to the prediction',
  caption: 'Median over seeds with min–max band.',
  x: { field: 'alpha', title: 'initialization scale α', log: true },
  y: { field: 'dist', title: '‖β − β*‖/‖β*‖', log: true },
  series: 'net',
};

describe('figures', () => {
  it('renders an SVG with both axis titles and one line per series', async () => {
    const rows = [
      { alpha: 1e-3, dist: 1e-9, net: 'diagonal', seed: 0 },
      { alpha: 1e-3, dist: 3e-9, net: 'diagonal', seed: 1 },
      { alpha: 1, dist: 2e-10, net: 'diagonal', seed: 0 },
      { alpha: 1e-3, dist: 0.3, net: 'fully-connected', seed: 0 },
      { alpha: 1, dist: 0.5, net: 'fully-connected', seed: 0 },
    ];
    const svg = await renderFigureSvg(spec, rows);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('initialization scale α');
    expect(svg).toContain('fully-connected');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(4);
  });

  it('drops non-positive values on log axes and refuses an empty figure naming it', async () => {
    const s = vegaLiteSpec(spec, [
      { alpha: 1, dist: 0, net: 'a' },
      { alpha: 1, dist: 1e-3, net: 'a' },
    ]);
    expect((s as { data: { values: unknown[] } }).data.values).toHaveLength(1);
    await expect(renderFigureSvg(spec, [{ alpha: 1, dist: Number.NaN, net: 'a' }])).rejects.toThrow(
      /figures\.demo: figure 'demo' has no rows with finite alpha and dist/,
    );
  });

  // Oracle: one point mark per distinct (x, series) pair of the rows; an empty figure has none.
  const pointMarks = (svg: string): number =>
    (svg.match(/aria-roledescription="point"/g) ?? []).length;

  it('plots fields whose names contain dots (sweep overrides like init.scale)', async () => {
    const dotted: FigureSpec = {
      id: 'dotted',
      title: 'loss vs init.scale',
      caption: 'c',
      x: { field: 'init.scale', title: 'init.scale', log: true },
      y: { field: 'loss', title: 'final loss', log: true },
      series: 'data.seed',
    };
    const rows = [
      { 'init.scale': 0.5, loss: 1e-7, 'data.seed': 1 },
      { 'init.scale': 1, loss: 1e-8, 'data.seed': 1 },
      { 'init.scale': 0.5, loss: 2e-7, 'data.seed': 2 },
      { 'init.scale': 1, loss: 3e-8, 'data.seed': 2 },
      { 'init[0]': 1, 'init.scale': 2, loss: 1e-9, 'data.seed': 2 },
    ];
    const svg = await renderFigureSvg(dotted, rows);
    expect(pointMarks(svg)).toBe(5);
    expect(svg).toContain('aria-label="init.scale: 5e-1; final loss: 2e-7; data.seed: 2"');
  });
});
