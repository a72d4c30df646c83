// SLURM helpers of slurm-integration.mjs: job records from scontrol, and the launcher that
// installs SLURM and runs the test in private namespaces.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assert, Checks, CLI, ROOT, run } from './lib.mjs';

/** The one-node cluster script. */
export const LOCAL = join(ROOT, 'tools/cluster/slurm-local.sh');

/** Job states after which a job (or array task) no longer runs. */
export const TERMINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'PREEMPTED',
]);

/**
 * `scontrol show job -o ID` as records (one per array task), or [] for an unknown id.
 * @returns {Promise<Record<string, string>[]>}
 */
export async function jobRecords(id, env) {
  const r = await run('scontrol', ['show', 'job', '-o', id], { env });
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('JobId='))
    .map((l) => Object.fromEntries([...l.matchAll(/(\S+?)=(\S*)/g)].map((m) => [m[1], m[2]])));
}

function skipAll(project, why) {
  console.log(`slurm integration test skipped: ${why}`);
  const c = new Checks(project);
  c.skip(['SLURM job files on a real scheduler'], why);
  process.exit(c.finish());
}

/**
 * Outside the sandbox: check the preconditions (Linux, root, the CLI built, SLURM installed or
 * apt-get to install it), install, then run `script args` with IB_SLURM_SANDBOX set, in private
 * network and PID namespaces when `unshare` allows. Exits with the script's code; a script that
 * dies without writing its summary is recorded as one failed check.
 * @param {string} project the summary name (.reports/jest/<project>.json)
 * @param {string} script
 * @param {string[]} args
 */
export async function launch(project, script, args) {
  const report = join(ROOT, '.reports/jest', `${project}.json`);
  if (process.platform !== 'linux') skipAll(project, 'SLURM runs here only on Linux');
  if (process.getuid?.() !== 0) skipAll(project, 'not root (the local SLURM daemons run as root)');
  if (!existsSync(CLI)) {
    const c = new Checks(project);
    await c.check('the CLI is built', () => assert(false, `${CLI} is missing; run npm run build`));
    process.exit(c.finish());
  }
  const have = spawnSync('sh', [
    '-c',
    'command -v sbatch && command -v slurmctld && command -v munged',
  ]);
  if (have.status !== 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0)
    skipAll(project, 'SLURM is not installed and apt-get is not available to install it');
  // install outside: the sandbox has no network
  const inst = spawnSync(LOCAL, ['install'], { stdio: 'inherit' });
  if (inst.status !== 0) {
    const c = new Checks(project);
    await c.check('SLURM installs (apt-get: slurmctld slurmd slurm-client munge)', () =>
      assert(false, `tools/cluster/slurm-local.sh install exited ${inst.status}`),
    );
    process.exit(c.finish());
  }
  rmSync(report, { force: true });
  const probe = spawnSync('unshare', [
    '--net',
    '--pid',
    '--fork',
    '--mount-proc',
    '--kill-child',
    'true',
  ]);
  let child;
  if (probe.status === 0) {
    const env = { ...process.env, IB_SLURM_SANDBOX: 'namespaces' };
    console.log('running in private network and PID namespaces (unshare)');
    // bash as the namespace's PID 1 reaps the daemons' orphans; when it exits, all die
    child = spawn(
      'unshare',
      [
        '--net',
        '--pid',
        '--fork',
        '--mount-proc',
        '--kill-child',
        'bash',
        '-c',
        // SLURM resolves its listening address with AI_ADDRCONFIG, which ignores 127.0.0.1:
        // a second loopback address makes IPv4 count as configured
        'ip link set lo up && ip addr add 127.0.0.2/32 dev lo && "$0" "$@"; exit $?',
        process.execPath,
        script,
        ...args,
      ],
      { stdio: 'inherit', env },
    );
  } else {
    console.log('unshare is not permitted here: the daemons run in this namespace, on 127.0.0.1');
    const env = { ...process.env, IB_SLURM_SANDBOX: 'none' };
    child = spawn(process.execPath, [script, ...args], { stdio: 'inherit', env });
  }
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await new Promise((r) => child.on('exit', (c, s) => r(c ?? (s ? 128 : 1))));
  if (!existsSync(report)) {
    const c = new Checks(project);
    await c.check('the integration test ran to its end', () =>
      assert(false, `it exited ${code} without writing its summary`),
    );
    process.exit(c.finish());
  }
  process.exit(code);
}
