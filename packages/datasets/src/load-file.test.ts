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

  // issue 18 item 8: the CLI maps INVALID_DATA to exit code 2; every fault of the data itself
  // (non-finite values, ragged rows, mismatched lengths) must carry that code, naming the file
  it.each([
    ['d1.csv', 'a,b\n1,2\nNaN,3\n', '"NaN" is not finite'],
    ['d2.csv', 'a,b\n1,inf\n', '"inf" is not finite'],
    ['d3.csv', 'a,b\n1,1e400\n', '"1e400" overflows'],
    ['d4.csv', 'a,b,c\n1,2,3\n4,5\n', 'has 2 fields but the header has 3'],
    ['d5.json', '{"X": [[1, 1e999]], "y": [1]}', 'X[0][1] is Infinity'],
    ['d6.json', '{"X": [[1, 2], [3]], "y": [1, 2]}', 'X[1] has 1 entries but X[0] has 2'],
    ['d7.json', '{"X": [[1], [2]], "y": [1]}', 'y has 1 entries but X has 2 rows'],
    ['d8.json', '{"X": [[]], "y": [1]}', 'X[0] is empty'],
  ])('%s: bad data is INVALID_DATA naming the file', async (name, text, fragment) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const load = name.endsWith('.csv') ? loadCsvFile : loadJsonFile;
    await expect(load(file)).rejects.toMatchObject({
      code: 'INVALID_DATA',
      path: file,
      message: expect.stringContaining(fragment) as unknown,
    });
  });
});
