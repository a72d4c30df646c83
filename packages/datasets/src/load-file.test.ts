import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsvFile, loadJsonFile } from './load-file.js';

describe('file loaders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ib-datasets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads JSON and CSV files, naming the file in meta and errors', async () => {
    const json = join(dir, 'd.json');
    writeFileSync(json, '{"X": [[1, 2, 3]], "y": [1]}');
    const a = await loadJsonFile(json, { task: 'classification', underdetermined: true });
    expect(a.meta).toMatchObject({ n: 1, d: 3, source: json });
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, 'x,y\n1,2\n3,oops\n');
    await expect(loadCsvFile(csv)).rejects.toMatchObject({
      code: 'INVALID_DATA',
      path: csv,
      message: `${csv}: row 2 (line 3), column 2 ("y"): "oops" is not a number`,
    });
  });

  it('reports an unreadable file with its path', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(loadCsvFile(missing)).rejects.toMatchObject({
      code: 'INVALID_DATA',
      path: missing,
    });
  });
});
