import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** What {@link RunClaims.claim} found: the claim is ours, or who holds it. */
export type ClaimResult =
  | {
      /** The claim is ours: run it, then release it. */
      readonly claimed: true;
    }
  | {
      /** Another runner holds the claim. */
      readonly claimed: false;
      /** Its claimer (`undefined` while its claim file is being written). */
      readonly by: ClaimInfo | undefined;
    };

/** Who runs a claimed run: written into the run's claim file when it is claimed. */
export interface ClaimInfo {
  /** Process id of the claimer. */
  readonly pid: number;
  /** Host name of the claimer (liveness can only be checked on the same host). */
  readonly host: string;
  /** ISO time of the claim. */
  readonly time: string;
  /** Random token of the claiming runner (two runners in one process differ). */
  readonly token: string;
}

/** Whether a claim's process is gone (same host only: a claim from another host is trusted). */
export function isStale(c: ClaimInfo): boolean {
  if (c.host !== hostname()) return false;
  try {
    process.kill(c.pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** An unreadable claim file older than this was left by a process that died while writing it. */
const TORN_CLAIM_MS = 60_000;

/** The claims directory of a store file: `<store>.claims/`, one `<run id>.claim` file per run. */
export function claimsDirOf(storeFile: string): string {
  return `${storeFile}.claims`;
}

/** The claims of other runners found next to a store (live or not), for status and merge. */
export function listClaims(storeFile: string): (ClaimInfo & {
  /** The claimed run's id. */
  readonly run: string;
})[] {
  const dir = claimsDirOf(storeFile);
  if (!existsSync(dir)) return [];
  const out: (ClaimInfo & { run: string })[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.claim')) continue;
    const c = readClaim(join(dir, f));
    if (c !== undefined && c !== 'torn') out.push({ ...c, run: f.slice(0, -'.claim'.length) });
  }
  return out;
}

function readClaim(file: string): ClaimInfo | 'torn' | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const c = JSON.parse(text) as ClaimInfo;
    if (typeof c.pid === 'number' && typeof c.host === 'string') return c;
  } catch {
    // being written right now, or its writer died half-way
  }
  return 'torn';
}

/**
 * Exclusive claims on the runs of a store, so that several processes (or runners) working on
 * one store never compute a run twice. A run is claimed by creating `<store>.claims/<id>.claim`
 * with `O_CREAT | O_EXCL` ('wx'), which exactly one creator wins; the file holds the claimer's
 * pid, host, time and token. A claim whose process is gone (same host, `kill(pid, 0)` fails) is
 * stale and is taken over. Claims are released (deleted) when their run is stored or given up;
 * a killed process leaves stale claims, which the next runner takes over.
 */
export class RunClaims {
  /** The claims directory. */
  readonly dir: string;
  private readonly me: ClaimInfo;
  private readonly held = new Set<string>();

  constructor(storeFile: string) {
    this.dir = claimsDirOf(storeFile);
    this.me = {
      pid: process.pid,
      host: hostname(),
      time: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
  }

  private file(run: string): string {
    return join(this.dir, `${run}.claim`);
  }

  /**
   * Claim a run: `{ claimed: true }`, or who holds it (a live process, or a runner of this one).
   * A stale claim is taken over.
   */
  claim(run: string): ClaimResult {
    mkdirSync(this.dir, { recursive: true });
    const f = this.file(run);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(f, 'wx', 0o644);
        try {
          writeSync(fd, JSON.stringify({ ...this.me, time: new Date().toISOString() }) + '\n');
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        this.held.add(run);
        return { claimed: true };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const c = readClaim(f);
      if (c === undefined) continue; // released meanwhile: try again
      if (c === 'torn') {
        const age = Date.now() - (statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age < TORN_CLAIM_MS) return { claimed: false, by: undefined };
      } else if (!isStale(c)) return { claimed: false, by: c };
      // stale: its process is gone. Remove it (if it is still that claim) and race for a fresh
      // claim: 'wx' picks one winner among the runners that saw it stale
      const again = readClaim(f);
      if (
        again === c ||
        (again !== undefined && again !== 'torn' && c !== 'torn' && again.token === c.token)
      )
        rmSync(f, { force: true });
    }
    return { claimed: false, by: undefined };
  }

  /** Release a claim of this runner (after its run is stored, or when it is given up). */
  release(run: string): void {
    if (!this.held.delete(run)) return;
    const c = readClaim(this.file(run));
    if (c !== undefined && c !== 'torn' && c.token === this.me.token)
      rmSync(this.file(run), { force: true });
  }

  /** Release every claim this runner still holds, and the directory when it is empty. */
  releaseAll(): void {
    for (const run of [...this.held]) this.release(run);
    try {
      rmdirSync(this.dir);
    } catch {
      // other runners' claims are in it, or it is gone already
    }
  }
}
