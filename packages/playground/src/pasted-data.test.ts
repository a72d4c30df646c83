import { readPastedData } from './pasted-data.js';

describe('pasted data in the playground', () => {
  it('reads valid CSV into a dataset', () => {
    const r = readPastedData('x1,x2,y\n1,2,1\n-1,0.5,-1\n', 'classification');
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.dataset.meta.n, r.dataset.meta.d]).toEqual([2, 2]);
  });

  it('a bad cell becomes an inline error naming the row, never an exception', () => {
    const r = readPastedData('x1,x2,y\n1,2,1\n3,abc,-1\n', 'classification');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.row).toBe(2);
      expect(r.message).toMatch(/pasted data: row 2 .*"abc" is not a number/);
    }
  });

  it('labels other than ±1 for classification name the row', () => {
    const r = readPastedData('1,2,1\n3,4,0.5\n', 'classification');
    expect(r.ok ? 0 : r.row).toBe(2);
  });

  it('empty input asks for data', () => {
    expect(readPastedData('  ', 'regression')).toEqual({
      ok: false,
      message: 'paste CSV rows: features..., label',
      row: undefined,
    });
  });
});
