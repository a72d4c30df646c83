#!/usr/bin/env node
// Checks docs/cluster/kubernetes/*.yaml without a cluster:
//  - every manifest validates against the Kubernetes API schema (kubernetes-models, generated
//    from the Kubernetes OpenAPI spec), and a broken copy does not;
//  - what a schema cannot see: the Indexed Job's JOB_COMPLETIONS equals its completions, its
//    volume mounts name its volumes, and the merge Job mounts the same claim;
//  - the container commands themselves: the sweep Job's command runs once per index with
//    JOB_COMPLETION_INDEX and the manifest's env, the mount paths mapped to local directories,
//    then the merge Job's script; the merged store must equal a single-process `sweep run`.
// Writes .reports/jest/kubernetes-jobs.json.
//
//   node tools/cluster/kubernetes-jobs.mjs [--keep]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
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
  ROOT,
  run,
  testSweepSpec,
} from './lib.mjs';

const DIR = join(ROOT, 'docs/cluster/kubernetes');
const MODELS = {
  'batch/v1 Job': Job,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'v1 ConfigMap': ConfigMap,
};
const checks = new Checks('kubernetes-jobs');

/** Every document of every manifest, with its file. */
function manifests() {
  const out = [];
  for (const file of readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f))) {
    const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
    for (const d of docs) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      const obj = d.toJS();
      if (obj !== null) out.push({ file, obj });
    }
  }
  return out;
}

/** Validate one object against its kind's schema; throws naming the first problem. */
function validate(obj) {
  const Model = MODELS[`${obj.apiVersion} ${obj.kind}`];
  assert(Model, `no schema for ${obj.apiVersion} ${obj.kind} (known: ${Object.keys(MODELS)})`);
  new Model(obj).validate();
}

const docs = manifests();
const jobs = docs.filter((d) => d.obj.kind === 'Job');
const sweepJob = jobs.find((d) => d.obj.spec?.completionMode === 'Indexed')?.obj;
const mergeJob = jobs.find((d) => d.obj !== sweepJob)?.obj;

for (const { file, obj } of docs)
  await checks.check(`${file}: ${obj.kind}/${obj.metadata?.name} is valid against the schema`, () =>
    validate(obj),
  );

await checks.check('the schema check rejects a broken copy (completions as a string)', () => {
  const broken = JSON.parse(JSON.stringify(sweepJob));
  broken.spec.completions = String(broken.spec.completions);
  let message = '';
  try {
    validate(broken);
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  }
  assert(/completions/.test(message), `the broken copy passed (${message || 'no error'})`);
});

const container = sweepJob?.spec.template.spec.containers[0];
const envOf = (c) => Object.fromEntries((c?.env ?? []).map((e) => [e.name, String(e.value)]));

await checks.check(
  'sweep Job: Indexed, JOB_COMPLETIONS = completions, mounts match volumes',
  () => {
    assert(sweepJob, 'no Indexed Job in docs/cluster/kubernetes');
    const s = sweepJob.spec;
    assert(
      envOf(container).JOB_COMPLETIONS === String(s.completions),
      `JOB_COMPLETIONS ${envOf(container).JOB_COMPLETIONS} ≠ completions ${s.completions}`,
    );
    assert(s.parallelism <= s.completions, 'parallelism exceeds completions');
    assert(
      s.template.spec.restartPolicy === 'Never',
      'backoffLimitPerIndex needs restartPolicy: Never',
    );
    for (const job of [sweepJob, mergeJob]) {
      const pod = job.spec.template.spec;
      const volumes = new Set(pod.volumes.map((v) => v.name));
      for (const c of pod.containers)
        for (const m of c.volumeMounts ?? [])
          assert(volumes.has(m.name), `${job.metadata.name}: mount ${m.name} has no volume`);
    }
    const claims = (job) =>
      job.spec.template.spec.volumes
        .filter((v) => v.persistentVolumeClaim)
        .map((v) => v.persistentVolumeClaim.claimName);
    const pvc = docs.find((d) => d.obj.kind === 'PersistentVolumeClaim')?.obj.metadata.name;
    assert(claims(sweepJob).join() === pvc, `sweep Job claims ${claims(sweepJob)}, PVC is ${pvc}`);
    assert(claims(mergeJob).join() === pvc, `merge Job claims ${claims(mergeJob)}, PVC is ${pvc}`);
  },
);

/** Map the container's mount paths to local directories, in arguments and in scripts. */
function mapper(mounts) {
  const rules = Object.entries(mounts).map(([from, to]) => [
    new RegExp(`(?<![\\w/.-])${from.replace(/[/.]/g, '\\$&')}(?=/|\\s|$)`, 'g'),
    to,
  ]);
  return (s) => rules.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

const work = mkdtempSync(join(tmpdir(), 'ib-k8s-'));
try {
  await localRun();
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}

async function localRun() {
  // the image: implicit-bias on PATH; the ConfigMap: the spec (and its data file); the PVC: a dir
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI, join(bin, 'implicit-bias'));
  const specDir = join(work, 'spec');
  const storeDir = join(work, 'store');
  const refDir = join(work, 'ref');
  for (const d of [specDir, storeDir, refDir]) mkdirSync(d);
  for (const d of [specDir, refDir]) {
    writeFileSync(join(d, 'sweep.json'), JSON.stringify(testSweepSpec(), null, 2) + '\n');
    writeFileSync(join(d, GATE_FILE), JSON.stringify(gateData()) + '\n');
  }
  const reference = cli(
    ['sweep', 'run', '--spec', 'sweep.json', '--store', 'store', '--workers', '0'],
    { cwd: refDir },
  );
  reference.catch(() => {});
  // a ConfigMap volume is the spec directory, a claim the store directory
  const mountsOf = (job) => {
    const pod = job.spec.template.spec;
    return Object.fromEntries(
      pod.containers[0].volumeMounts.map((m) => {
        const v = pod.volumes.find((x) => x.name === m.name);
        assert(v?.configMap || v?.persistentVolumeClaim, `volume ${m.name}: no local stand-in`);
        return [m.mountPath, v.configMap ? specDir : storeDir];
      }),
    );
  };
  const env = (c, extra) => ({
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    ...envOf(c),
    ...extra,
  });
  const n = sweepJob.spec.completions;

  await checks.check(
    `the sweep Job's command runs as pods 0-${n - 1} (JOB_COMPLETION_INDEX), one store each`,
    async () => {
      const map = mapper(mountsOf(sweepJob));
      const [cmd, ...argv] = container.command.map(map);
      const failures = [];
      // two pods at a time
      const queue = Array.from({ length: n }, (_, i) => i);
      await Promise.all(
        [0, 1].map(async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
            const r = await run(cmd, argv, {
              cwd: work,
              env: env(container, { JOB_COMPLETION_INDEX: String(i) }),
            });
            if (r.code !== 0) failures.push(`pod ${i} exited ${r.code}: ${r.stderr.slice(-500)}`);
          }
        }),
      );
      assert(failures.length === 0, failures.join('\n'));
      const files = readdirSync(storeDir).filter((f) => f.endsWith('.sqlite'));
      const want = Array.from({ length: n }, (_, i) => `shard-${i}-of-${n}.sqlite`);
      assert(
        want.every((f) => files.includes(f)),
        `stores ${files.sort().join(', ')}, expected ${want.length} shard files`,
      );
    },
  );

  const mc = mergeJob.spec.template.spec.containers[0];
  await checks.check("the merge Job's command merges, reports and exports", async () => {
    const map = mapper(mountsOf(mergeJob));
    const [cmd, ...argv] = mc.command.map(map);
    const r = await run(cmd, argv, { cwd: work, env: env(mc, {}) });
    assert(r.code === 0, `exited ${r.code}: ${(r.stderr + r.stdout).slice(-1500)}`);
    assert(existsSync(join(storeDir, 'merged.sqlite')), 'no merged.sqlite');
    const csv = readFileSync(join(storeDir, 'results.csv'), 'utf8').trim().split('\n');
    assert(csv.length === 25, `results.csv has ${csv.length - 1} rows`);
  });

  await checks.check(
    'merged store = single-process sweep run: same 24 ids, results bit for bit, no duplicate, no gap',
    async () => {
      await reference;
      const [got, want] = await Promise.all([
        exportRecords(join(storeDir, 'merged.sqlite')),
        exportRecords(join(refDir, 'store')),
      ]);
      const problems = compareRecords(got, want);
      assert(problems.length === 0, problems.join('\n'));
      assert(got.length === 24, `merged ${got.length} runs`);
    },
  );

  await checks.check('sweep report (merge Job): every figure has data marks', () =>
    checkReportFigures(join(storeDir, 'report')),
  );
}

process.exit(checks.finish());
