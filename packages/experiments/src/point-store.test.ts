import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PointStore } from './point-store.js';

describe('point store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ib-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips points and lists them per experiment', () => {
    const s = new PointStore(dir);
    s.put({ experiment: 'rq1', id: 'a=1', params: { a: 1 }, metrics: { d: 1e-9 }, wallMs: 5 });
    s.put({ experiment: 'rq1', id: 'a=2', params: { a: 2 }, metrics: { d: null }, wallMs: 6 });
    const again = new PointStore(dir);
    expect(again.get('rq1', 'a=1')?.metrics['d']).toBe(1e-9);
    expect(again.all('rq1').map((p) => p.id)).toEqual(['a=1', 'a=2']);
    expect(again.all('none')).toEqual([]);
    expect(readdirSync(join(dir, 'points/rq1')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('rejects ids that could escape the directory', () => {
    const s = new PointStore(dir);
    expect(() => s.get('rq1', '../x')).toThrow(/point id '..\/x' may only contain/);
  });
});
