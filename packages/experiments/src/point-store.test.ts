import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PointStore, writeFileAtomic } from './point-store.js';

const CPU = { backend: 'cpu', precision: 'float64' };

describe('point store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ib-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips points and lists them per experiment', () => {
    const s = new PointStore(dir, CPU);
    s.put({ experiment: 'rq1', id: 'a=1', params: { a: 1 }, metrics: { d: 1e-9 }, wallMs: 5 });
    s.put({ experiment: 'rq1', id: 'a=2', params: { a: 2 }, metrics: { d: null }, wallMs: 6 });
    const again = new PointStore(dir, CPU);
    expect(again.get('rq1', 'a=1')?.metrics['d']).toBe(1e-9);
    expect(again.get('rq1', 'a=1')).toMatchObject({ backend: 'cpu', precision: 'float64' });
    expect(again.all('rq1').map((p) => p.id)).toEqual(['a=1', 'a=2']);
    expect(again.all('none')).toEqual([]);
    expect(readdirSync(again.experimentDir('rq1')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('keys points by backend and precision: another backend finds none of them', () => {
    const other = new PointStore(dir, { backend: 'tfjs-cpu', precision: 'float32' });
    expect(other.get('rq1', 'a=1')).toBeUndefined();
    expect(other.all('rq1')).toEqual([]);
    const f32 = new PointStore(dir, { backend: 'cpu', precision: 'float32' });
    expect(f32.get('rq1', 'a=1')).toBeUndefined();
    // a point file copied under another backend's folder is not taken for that backend's
    const copied = join(other.experimentDir('rq1'));
    mkdirSync(copied, { recursive: true });
    writeFileSync(
      join(copied, 'a=1.json'),
      readFileSync(join(new PointStore(dir, CPU).experimentDir('rq1'), 'a=1.json')),
    );
    expect(other.get('rq1', 'a=1')).toBeUndefined();
  });

  it('rejects ids that could escape the directory', () => {
    const s = new PointStore(dir, CPU);
    expect(() => s.get('rq1', '../x')).toThrow(/point id '..\/x' may only contain/);
    expect(() => new PointStore(dir, { backend: '..', precision: 'float64' })).toThrow(
      /backend '..' may only contain/,
    );
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ib-atomic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const leftovers = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('never follows a symlink planted at the old predictable temp name', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const target = join(dir, 'out.json');
    symlinkSync(victim, `${target}.${process.pid}.tmp`);
    writeFileAtomic(target, 'new content');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(leftovers()).toEqual([`out.json.${process.pid}.tmp`]); // the planted link only
    rmSync(`${target}.${process.pid}.tmp`);
  });

  it('replaces the whole file and leaves no temporary file', () => {
    const f = join(dir, 'a.txt');
    writeFileAtomic(f, 'x'.repeat(100_000));
    writeFileAtomic(f, 'short');
    expect(readFileSync(f, 'utf8')).toBe('short');
    expect(leftovers()).toEqual([]);
  });

  it('a failed write keeps the old content, removes its temporary file and says which file', () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d);
    writeFileSync(join(d, 'inside'), 'old');
    let err: NodeJS.ErrnoException | undefined;
    try {
      writeFileAtomic(d, 'new');
    } catch (e) {
      err = e as NodeJS.ErrnoException;
    }
    expect(err?.message).toBe(`cannot write ${d}: it is a directory`);
    expect(err?.code).toMatch(/^(EISDIR|ENOTEMPTY)$/);
    expect(readFileSync(join(d, 'inside'), 'utf8')).toBe('old');
    expect(leftovers()).toEqual([]);
    expect(() => writeFileAtomic(join(dir, 'missing', 'x'), 'y')).toThrow(
      /cannot write .*missing\/x: its directory does not exist/,
    );
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
