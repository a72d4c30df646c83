#!/usr/bin/env node
// Runs docs/cluster/slurm/*.sbatch on a real one-node SLURM (tools/cluster/slurm-local.sh) and
// checks the merged store against a single-process `sweep run` of the same spec.
//
//   node tools/cluster/slurm-integration.mjs [--sbatch FILE] [--merge-sbatch FILE] [--keep]
//
// The 24-run test sweep (lib.mjs) is submitted as a 4-task array. Run 9 (shard 1, after runs 1
// and 5) reads its data from a named pipe, so task 1 stores two runs and then waits: it cannot
// finish before the test kills and requeues it (`scontrol requeue`), which makes the kill
// independent of timing. The merge job is submitted at once with --dependency=afterany.
//
// Needs root and Debian's SLURM packages (installed by slurm-local.sh when apt-get works); says
// so and counts the test as skipped otherwise. When `unshare` works the cluster runs in private
// network and PID namespaces: only its own loopback exists there, and every daemon and job dies
// with the test even if it is killed. Writes .reports/jest/slurm-integration.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert,
  checkReportFigures,
  Checks,
  CLI,
  cli,
  compareRecords,
  exportRecords,
  gateData,
  GATE_FILE,
  GATE_INDEX,
  ROOT,
  run,
  runOk,
  testSweepSpec,
  waitFor,
} from './lib.mjs';
import { jobRecords, launch, LOCAL, TERMINAL } from './slurm-support.mjs';

const PROJECT = 'slurm-integration';
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? resolve(args[i + 1]) : dflt;
};
const SBATCH = opt('--sbatch', join(ROOT, 'docs/cluster/slurm/sweep-array.sbatch'));
const MERGE = opt('--merge-sbatch', join(ROOT, 'docs/cluster/slurm/sweep-merge.sbatch'));
const KEEP = args.includes('--keep');
/** Shards of the test array; the gate run must fall in shard 1, after two of its runs. */
const TASKS = 4;
/** Hang guard for every wait (a failure message, never a timing assertion). */
const WAIT_MS = 240_000;

/** A job directory as a user has it: the spec, and the CLI installed in node_modules. */
function makeJobDir(dir, gate) {
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  symlinkSync(CLI, join(dir, 'node_modules/.bin/implicit-bias'));
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(testSweepSpec(), null, 2) + '\n');
  if (gate === 'pipe') spawnSync('mkfifo', [join(dir, GATE_FILE)]);
  else writeFileSync(join(dir, GATE_FILE), JSON.stringify(gateData()) + '\n');
}

async function readStore(file) {
  const { SweepStore } = await import('@implicit-bias/experiments');
  if (!existsSync(file)) return [];
  const s = SweepStore.open(file, { readonly: true });
  try {
    return s.all();
  } finally {
    s.close();
  }
}

async function scenario() {
  const checks = new Checks(PROJECT);
  const work = mkdtempSync(join(tmpdir(), 'ib-slurm-'));
  const env = {
    ...process.env,
    IB_SLURM_DIR: join(work, 'slurm'),
    SLURM_CONF: join(work, 'slurm/slurm.conf'),
  };
  const local = (cmd) => run(LOCAL, [cmd], { env });
  let stopped = false;
  const stopCluster = async () => {
    if (stopped) return;
    stopped = true;
    const r = await local('stop');
    process.stderr.write(r.stderr);
  };
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => void stopCluster().then(() => process.exit(130)));
  console.log(`work directory ${work}; sbatch files ${SBATCH}, ${MERGE}`);
  try {
    await body(checks, work, env, local);
  } catch (e) {
    await checks.check('the scenario ran to its end', () => {
      throw e;
    });
  } finally {
    await stopCluster();
    await checks.check('slurm-local.sh stop leaves no SLURM daemon or job step running', () => {
      const left = spawnSync('sh', ['-c', 'cat /proc/[0-9]*/comm 2>/dev/null'])
        .stdout.toString()
        .split('\n')
        .filter((c) => /^(slurmctld|slurmd|slurmstepd|munged)$/.test(c));
      // outside a PID namespace another installation's daemons would show too: only our pids
      const ours = ['slurmctld', 'slurmd', 'munged'].filter((d) =>
        existsSync(join(env.IB_SLURM_DIR, `${d}.pid`)),
      );
      assert(ours.length === 0, `pid files left: ${ours.join(', ')}`);
      if (process.env.IB_SLURM_SANDBOX === 'namespaces')
        assert(left.length === 0, `still running: ${left.join(', ')}`);
    });
    if (!KEEP) rmSync(work, { recursive: true, force: true });
  }
  process.exit(checks.finish());
}

async function body(checks, work, env, local) {
  const ok = await checks.check('slurm-local.sh start brings up a one-node cluster', async () => {
    const r = await local('start');
    assert(r.code === 0, `start exited ${r.code}: ${r.stderr}`);
    const s = await runOk('sinfo', ['-h', '-N', '-o', '%N %T'], { env });
    assert(s.stdout.trim() === 'localhost idle', `sinfo says '${s.stdout.trim()}'`);
  });
  if (!ok) return;
  await checks.check('slurm-local.sh start again changes nothing (idempotent)', async () => {
    const pids = () =>
      ['munged', 'slurmctld', 'slurmd'].map((d) =>
        readFileSync(join(env.IB_SLURM_DIR, `${d}.pid`), 'utf8').trim(),
      );
    const before = pids();
    const r = await local('start');
    assert(r.code === 0 && /already running/.test(r.stderr), `second start: ${r.stderr}`);
    assert(pids().join() === before.join(), `daemons restarted: ${before} → ${pids()}`);
  });

  const jobDir = join(work, 'job');
  const refDir = join(work, 'ref');
  makeJobDir(jobDir, 'pipe');
  makeJobDir(refDir, 'file');
  // the single-process reference runs meanwhile
  const reference = cli(
    ['sweep', 'run', '--spec', 'sweep.json', '--store', 'store', '--workers', '0'],
    { cwd: refDir },
  );
  reference.catch(() => {});

  let arrayId = '';
  let mergeId = '';
  const submitted = await checks.check(
    `sbatch takes the array (--array=0-${TASKS - 1}) and the merge job (--dependency=afterany)`,
    async () => {
      const a = await runOk(
        'sbatch',
        ['--parsable', `--array=0-${TASKS - 1}`, '--cpus-per-task=1', '--mem=256M', SBATCH],
        { cwd: jobDir, env },
      );
      arrayId = a.stdout.trim().split(';')[0];
      const m = await runOk(
        'sbatch',
        ['--parsable', `--dependency=afterany:${arrayId}`, '--mem=256M', MERGE],
        { cwd: jobDir, env },
      );
      mergeId = m.stdout.trim().split(';')[0];
    },
  );
  if (!submitted) return;

  const store = join(jobDir, 'sweep-store');
  const shard1 = join(store, `shard-1-of-${TASKS}.sqlite`);
  let before = [];
  const gated = await checks.check(
    `task 1 stores the runs before run ${GATE_INDEX} and waits on its data (a named pipe)`,
    async () => {
      await waitFor(WAIT_MS, 'task 1 to store 2 runs', async () => {
        const t = (await jobRecords(arrayId, env)).find((j) => j.ArrayTaskId === '1');
        if (t && TERMINAL.has(t.JobState))
          throw new Error(`task 1 ended (${t.JobState}, exit ${t.ExitCode}) before the gate`);
        before = await readStore(shard1);
        return before.length >= 2;
      });
      const idx = before.map((r) => r.index).join(',');
      assert(idx === '1,5', `stored runs ${idx}, expected 1,5`);
      const t = (await jobRecords(arrayId, env)).find((j) => j.ArrayTaskId === '1');
      assert(t?.JobState === 'RUNNING', `task 1 is ${t?.JobState}, expected RUNNING`);
    },
  );
  if (!gated) return;

  // the requeued task reads a plain file; the killed one still waits on the pipe it opened
  rmSync(join(jobDir, GATE_FILE));
  writeFileSync(join(jobDir, GATE_FILE), JSON.stringify(gateData()) + '\n');
  const requeued = await checks.check(
    'scontrol requeue kills task 1 mid-run and puts it back',
    async () => {
      await runOk('scontrol', ['requeue', `${arrayId}_1`], { env });
      // SLURM holds a requeued job for about two minutes (Reason=BeginTime); once it is pending
      // (killed, no longer completing), make it eligible now instead of waiting for that
      await waitFor(WAIT_MS, 'task 1 to be pending again', async () => {
        const t = (await jobRecords(arrayId, env)).find((j) => j.ArrayTaskId === '1');
        if (t?.JobState !== 'PENDING')
          return t !== undefined && t.JobState !== 'COMPLETING' && t.Restarts === '1';
        const u = await run('scontrol', ['update', `JobId=${arrayId}_1`, 'StartTime=now'], { env });
        return u.code === 0;
      });
    },
  );
  if (!requeued) return;

  let merge;
  await checks.check(
    'the merge job runs once every task has ended, requeued one included',
    async () => {
      await waitFor(WAIT_MS, `merge job ${mergeId} to end`, async () => {
        merge = (await jobRecords(mergeId, env))[0];
        return merge !== undefined && TERMINAL.has(merge.JobState);
      });
      const tasks = await jobRecords(arrayId, env);
      const lastEnd = tasks
        .map((t) => t.EndTime)
        .sort()
        .at(-1);
      assert(
        merge.StartTime >= lastEnd,
        `merge started ${merge.StartTime}, last task ended ${lastEnd}`,
      );
      const log = join(jobDir, `ib-sweep-merge-${mergeId}.out`);
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-1500) : '(no log)';
      assert(
        merge.JobState === 'COMPLETED' && merge.ExitCode === '0:0',
        `merge ${merge.JobState}, exit ${merge.ExitCode}\n${tail}`,
      );
    },
  );

  await checks.check(
    `all ${TASKS} array tasks completed with exit 0; task 1 after one restart`,
    async () => {
      const tasks = await jobRecords(arrayId, env);
      const got = tasks
        .map((t) => `${t.ArrayTaskId}:${t.JobState}:${t.ExitCode}:${t.Restarts}`)
        .sort()
        .join(' ');
      const want = Array.from(
        { length: TASKS },
        (_, i) => `${i}:COMPLETED:0:0:${i === 1 ? 1 : 0}`,
      ).join(' ');
      assert(got === want, `tasks (id:state:exit:restarts) ${got}, expected ${want}`);
    },
  );

  await checks.check(
    'the requeued task kept its 2 stored runs, ran only the other 4 and left no claim',
    async () => {
      const after = await readStore(shard1);
      assert(after.length === 6, `shard 1 holds ${after.length} runs, expected 6`);
      for (const r of before) {
        const now = after.find((a) => a.id === r.id);
        assert(
          JSON.stringify(now) === JSON.stringify(r),
          `run ${r.id} was rewritten by the requeued task (it was stored before the kill)`,
        );
      }
      const log = readFileSync(join(jobDir, `ib-sweep-${arrayId}_1.out`), 'utf8');
      assert(/6 runs, 2 stored already/.test(log), `task 1's log does not say it resumed:\n${log}`);
      // the killed task's claim on the run it was in was taken over and released
      const claims = readdirSync(store)
        .filter((f) => f.endsWith('.claims'))
        .flatMap((d) => readdirSync(join(store, d)).map((f) => `${d}/${f}`));
      assert(claims.length === 0, `claims left in the store: ${claims.join(', ')}`);
    },
  );

  await checks.check(`each shard store holds its 6 runs, none in two shards`, async () => {
    const seen = new Map();
    for (let i = 0; i < TASKS; i++) {
      const recs = await readStore(join(store, `shard-${i}-of-${TASKS}.sqlite`));
      assert(recs.length === 6, `shard ${i} holds ${recs.length} runs`);
      for (const r of recs) {
        assert(r.index % TASKS === i, `run ${r.index} is in shard ${i}`);
        assert(!seen.has(r.id), `run ${r.id} in shards ${seen.get(r.id)} and ${i}`);
        seen.set(r.id, i);
      }
    }
  });

  const mergedFile = join(store, `merged-${mergeId}.sqlite`);
  await checks.check(
    'merged store = single-process sweep run: same 24 ids, results bit for bit, no duplicate, no gap',
    async () => {
      await reference;
      const [got, want] = await Promise.all([
        exportRecords(mergedFile),
        exportRecords(join(refDir, 'store')),
      ]);
      assert(want.length === 24, `the reference holds ${want.length} runs`);
      const problems = compareRecords(got, want);
      assert(problems.length === 0, problems.join('\n'));
      assert(got.length === 24, `merged ${got.length} runs`);
    },
  );

  await checks.check('the job logs are where #SBATCH --output puts them', () => {
    const missing = [
      ...Array.from({ length: TASKS }, (_, i) => `ib-sweep-${arrayId}_${i}.out`),
      `ib-sweep-merge-${mergeId}.out`,
    ].filter((f) => !existsSync(join(jobDir, f)));
    assert(missing.length === 0, `missing logs: ${missing.join(', ')}`);
  });

  await checks.check('the merge job exported a CSV row per run', () => {
    const csv = readFileSync(join(store, 'results.csv'), 'utf8').trim().split('\n');
    assert(csv.length === 25, `results.csv has ${csv.length - 1} rows`);
  });

  await checks.check('sweep report (merge job): every figure has data marks', () => {
    checkReportFigures(join(store, 'report'));
  });

  await negative(checks, work, env);
}

/**
 * The checks above must fail for a broken job file. Submit a copy whose --output line names a
 * directory that does not exist (the bug the original file had): SLURM cannot open the log and
 * fails the task before it runs, and the task checks must see that.
 */
async function negative(checks, work, env) {
  await checks.check('negative: a broken #SBATCH line fails the task checks', async () => {
    const dir = join(work, 'broken');
    makeJobDir(dir, 'file');
    const text = readFileSync(SBATCH, 'utf8');
    const broken = text.replace(
      /^#SBATCH --output=.*$/m,
      '#SBATCH --output=no-such-dir/%x-%A_%a.out',
    );
    assert(broken !== text, 'the sbatch file has no #SBATCH --output line to break');
    writeFileSync(join(dir, 'broken.sbatch'), broken);
    const a = await runOk(
      'sbatch',
      ['--parsable', '--array=0-0', '--cpus-per-task=1', '--mem=256M', 'broken.sbatch'],
      { cwd: dir, env },
    );
    const id = a.stdout.trim().split(';')[0];
    let tasks = [];
    await waitFor(WAIT_MS, `broken job ${id} to end`, async () => {
      tasks = await jobRecords(id, env);
      return tasks.length === 1 && TERMINAL.has(tasks[0].JobState);
    });
    assert(
      tasks[0].JobState !== 'COMPLETED',
      `the broken job completed (${tasks[0].JobState}); the checks would not catch it`,
    );
    assert(!existsSync(join(dir, 'sweep-store')), 'the broken job wrote a store');
  });
}

if (process.env.IB_SLURM_SANDBOX) await scenario();
else await launch(PROJECT, fileURLToPath(import.meta.url), args);
