// The measured sections of `npm run bench` (tools/bench/run.mjs): gradient throughput per
// backend, time to accuracy (regression and classification), batched vs sequential runs. Each
// returns plain data for lib/report.mjs. Nothing here asserts a timing.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { selectBackend } from '@implicit-bias/backend';
import { key, normal, relativeDistance, split } from '@implicit-bias/core';
import { gaussianRegression } from '@implicit-bias/datasets';
import { solveReducedFlow } from '@implicit-bias/experiments';
import { networkField, solveFlow, startFlow } from '@implicit-bias/flow';
import { convolutional, diagonal, fullyConnected, initialize } from '@implicit-bias/networks';
import { hLInverse, predictRegressionQ } from '@implicit-bias/theory';
import { summarize } from './common.mjs';
import { extrapolate, gdEstimate, plateauOf } from './estimates.mjs';
import { runPeer, runScipyLsoda, runScipyRadau } from './peer.mjs';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc');

const log = (msg) => process.stderr.write(`${msg}\n`);
const now = () => performance.now();
const mem = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/** The networks of the throughput table; FC layers have width `hidden` after the input. */
export function buildNetwork(arch, L, d, hidden) {
  if (arch === 'diagonal') return diagonal({ dim: d, depth: L });
  if (arch === 'convolutional') return convolutional({ dim: d, depth: L });
  return fullyConnected({ inputDim: d, hidden: new Array(L - 1).fill(hidden) });
}

// ---------------------------------------------------------------- throughput

/**
 * Gradient evaluations per second: one evaluation is flow's `networkField(...).evaluate` of one
 * parameter vector into a preallocated output (the steppers' workspace), i.e. what one field
 * evaluation costs inside `solveFlow`: on the cpu backend
 * the fused host pass (β, Xβ, residual, Xᵀr, every layer's contraction) for the networks that
 * have one, else upload, forward pass, residual, every layer's gradient and the read-back. With
 * `cfg.unfused` (`--unfused`) the cpu backend's generic path is measured too, as `cpu-unfused`.
 */
export async function throughputSection(ctx, cfg) {
  const { plugins, usable } = ctx;
  const cells = [];
  for (const s of usable) {
    let be;
    try {
      be = await selectBackend(s.id, { plugins, env: {} });
    } catch (e) {
      log(`throughput: ${s.id}: create() failed: ${e.message}`);
      continue;
    }
    try {
      for (const arch of cfg.archs) {
        for (const L of cfg.depths) {
          let prev; // the last measured cell of this backend/arch/L, to predict the next
          for (const [n, d] of cfg.sizes) {
            const cell = { backend: s.id, precision: be.precision, arch, L, n, d };
            const work = n * d;
            if (prev !== undefined) {
              const predicted = (prev.medianUs * work) / (prev.n * prev.d) / 1e6;
              if (2 * predicted * cfg.minReps > cfg.cellBudgetS) {
                cell.skipped = `predicted ${predicted.toFixed(2)} s per gradient (scaled by n·d from ${prev.n}×${prev.d}); ${cfg.minReps} repetitions (timed, then untimed for memory) exceed the ${cfg.cellBudgetS} s per-cell budget`;
                log(`throughput ${s.id} ${arch} L=${L} ${n}x${d}: skipped (${cell.skipped})`);
                cells.push(cell);
                continue;
              }
            }
            // with --unfused, the cpu backend's generic path too, measured right after
            const variants = [{ cell, fused: true }];
            if (cfg.unfused && s.id === 'cpu') {
              variants.push({ cell: { ...cell, backend: 'cpu-unfused' }, fused: false });
            }
            for (const v of variants) {
              try {
                Object.assign(v.cell, timeGradient(be, arch, L, n, d, cfg, v.fused));
                if (!v.cell.skipped && v.fused) prev = v.cell;
                log(
                  `throughput ${v.cell.backend} ${arch} L=${L} ${n}x${d}: ${v.cell.skipped ? `skipped (${v.cell.skipped})` : `${v.cell.medianUs.toFixed(0)} µs`}`,
                );
              } catch (e) {
                v.cell.error = e instanceof Error ? e.message : String(e);
                log(`throughput ${v.cell.backend} ${arch} L=${L} ${n}x${d}: error ${v.cell.error}`);
              }
              cells.push(v.cell);
            }
          }
        }
      }
    } finally {
      await be.close();
    }
  }
  return cells;
}

function timeGradient(be, arch, L, n, d, cfg, fused = true) {
  const net = buildNetwork(arch, L, d, cfg.hidden);
  const [kx, ky, kp] = split(key(cfg.seed), 3);
  const Xh = normal(kx, n * d);
  const yh = normal(ky, n);
  const state = Float64Array.from(
    normal(
      kp,
      net.paramSizes.reduce((a, b) => a + b, 0),
    ),
    (v) => (arch === 'diagonal' ? 0.5 * v : v / Math.sqrt(d)),
  );
  gc();
  const base = mem();
  const X = be.fromHost(Xh, [n, d]);
  const y = be.fromHost(yh, [n]);
  try {
    const field = networkField({
      network: net,
      backend: be,
      X,
      y,
      labels: yh,
      loss: 'squared',
      time: 'physical',
      fused,
    });
    const out = new Float64Array(state.length);
    // the first call pays one-time setup (kernel memory growth, the data copied to worker
    // threads); the second one sets the repetitions (each timed once and run once untimed)
    field.evaluate(state, 1, undefined, out);
    let t0 = now();
    field.evaluate(state, 1, undefined, out);
    const first = (now() - t0) / 1e3;
    let reps = cfg.reps;
    if (2 * first * reps > cfg.cellBudgetS) reps = Math.floor(cfg.cellBudgetS / (2 * first));
    if (reps < cfg.minReps) {
      return {
        skipped: `one gradient took ${first.toFixed(2)} s; ${cfg.minReps} repetitions (timed, then untimed for memory) exceed the ${cfg.cellBudgetS} s per-cell budget`,
      };
    }
    // warm-up: at least `warmup` calls and 10% of the cell budget, so that the JIT has
    // optimized the kernels before timing (the first cells of a backend would pay for it)
    const warmEnd = now() + 100 * cfg.cellBudgetS;
    for (let i = 0; i < cfg.warmup || now() < warmEnd; i++)
      field.evaluate(state, 1, undefined, out);
    // samples back to back, as the NumPy peer takes them; memory is read in a second, untimed
    // pass (process.memoryUsage() between timed calls left them with cold caches)
    const samplesUs = [];
    for (let i = 0; i < reps; i++) {
      t0 = now();
      field.evaluate(state, 1, undefined, out);
      samplesUs.push((now() - t0) * 1e3);
    }
    let peak = mem();
    for (let i = 0; i < reps; i++) {
      field.evaluate(state, 1, undefined, out);
      peak = Math.max(peak, mem());
    }
    return { reps, ...summarize(samplesUs), peakMB: (peak - base) / 2 ** 20 };
  } finally {
    be.dispose([X, y]);
  }
}

/** The NumPy peer's gradient timings for the same cells (one python process). */
export function throughputPeer(ctx, cfg) {
  if (!ctx.peer.available) return [];
  const cells = [];
  for (const arch of cfg.archs)
    for (const L of cfg.depths)
      for (const [n, d] of cfg.sizes)
        cells.push({
          arch,
          L,
          n,
          d,
          hidden: cfg.hidden,
          reps: cfg.reps,
          warmup: cfg.warmup,
          budget_s: cfg.cellBudgetS,
          seed: cfg.seed,
        });
  const ans = runPeer(
    { mode: 'throughput', cells },
    1e3 * (cells.length * cfg.cellBudgetS * 2 + 60),
  );
  return ans.cells.map((c) =>
    c.skipped
      ? {
          backend: 'numpy',
          precision: 'float64',
          arch: c.arch,
          L: c.L,
          n: c.n,
          d: c.d,
          skipped: c.skipped,
        }
      : {
          backend: 'numpy',
          precision: 'float64',
          arch: c.arch,
          L: c.L,
          n: c.n,
          d: c.d,
          reps: c.reps,
          ...summarize(c.samples_us),
        },
  );
}

// ---------------------------------------------------------------- time to accuracy (regression)

/**
 * Sharpness of the squared loss at the interpolating limit of an odeco diagonal network: with
 * `T_j = h_L^{−1}(ρ_j/α^L)`, the layers are `v_L = αT`, `v_l = α√(1+T²)` (odeco invariants), the
 * Hessian is `JᵀJ` and `λ_max = λ_max(X diag(w) Xᵀ)` with `w_j = Σ_l Π_{m≠l} v_{m,j}²`.
 */
export function limitSharpness(X, n, d, rho, L, alpha) {
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const T = hLInverse(L, rho[j] / alpha ** L);
    const a2 = alpha * alpha * (1 + T * T);
    const b2 = alpha * alpha * T * T;
    // (L−1) layers of size a², one of size b²: Σ_l Π_{m≠l} = (L−1)·a^{2(L−2)}·b² + a^{2(L−1)}
    w[j] = (L - 1) * a2 ** (L - 2) * b2 + a2 ** (L - 1);
  }
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * w[j] * X[k * d + j];
      K[i * n + k] = s;
      K[k * n + i] = s;
    }
  let v = new Float64Array(n).fill(1);
  let lam = 0;
  for (let it = 0; it < 500; it++) {
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += K[i * n + k] * v[k];
      u[i] = s;
    }
    const nu = Math.hypot(...u);
    const next = nu;
    v = u.map((x) => x / nu);
    if (Math.abs(next - lam) <= 1e-12 * next) {
      lam = next;
      break;
    }
    lam = next;
  }
  return lam;
}

const geometric = (from, factor, to) => {
  const out = [];
  for (let t = from; t < to; t *= factor) out.push(t);
  out.push(to);
  return out;
};

/** Time to ‖β − β_pred‖/‖β_pred‖ ≤ tol for one diagonal regression, every method. */
export async function accuracyProblem(ctx, cfg, L, alpha, extra = {}) {
  const { n, d, tol, budgetS } = cfg;
  // LSODA may get a longer budget on a problem whose target compares against its finish time
  const lsodaBudgetS = extra.lsodaBudgetS ?? budgetS;
  const ds = gaussianRegression({ n, d, seed: cfg.seed, sparsity: cfg.sparsity });
  const X = ds.X;
  const y = ds.y;
  let t0 = now();
  const pred = predictRegressionQ({ A: X, y, L, alpha });
  const predMs = now() - t0;
  const bp = pred.rho;
  const lambdaMax = limitSharpness(X.data, n, d, bp, L, alpha);
  const step = cfg.stepFactor / lambdaMax;
  const network = diagonal({ dim: d, depth: L });
  const init = initialize(network, {
    scheme: 'odeco',
    scale: alpha,
    shape: 'ones',
    seed: cfg.seed,
  });
  const out = {
    L,
    alpha,
    n,
    d,
    sparsity: cfg.sparsity,
    predStatus: pred.status,
    predMs,
    lambdaMax,
    step,
    methods: [],
  };
  log(
    `accuracy L=${L} α=${alpha}: β_pred ${pred.status} in ${predMs.toFixed(0)} ms, λmax ${lambdaMax.toPrecision(4)}, h = ${step.toPrecision(4)}`,
  );

  // (c) the exact reduced ODE (n-dimensional), a stiff stepper with its exact n×n Jacobian
  {
    const trace = [];
    let hit;
    t0 = now();
    const res = solveReducedFlow(
      { network, X, y, alpha },
      {
        times: geometric(1e-2, cfg.reducedGridFactor, 1e7),
        method: cfg.reducedMethod,
        rtol: cfg.reducedRtol,
        atol: 1e-12,
        jacobianDropTol: cfg.reducedDropTol,
        onPoint: (p) => {
          const wall = (now() - t0) / 1e3;
          const err = relativeDistance(p.beta, bp);
          trace.push({ t: p.time, wall, err, evals: p.fieldEvals });
          if (err <= tol) {
            hit = {
              time: p.time,
              wall,
              err,
              fieldEvals: p.fieldEvals,
              jacobianEvals: p.gramEvaluations,
              steps: p.accepted,
            };
            return true;
          }
          return wall > cfg.reducedBudgetS;
        },
      },
    );
    const last = trace[trace.length - 1];
    out.methods.push({
      method: `reduced ODE (${cfg.reducedMethod})`,
      reached: hit !== undefined,
      wallS: hit?.wall ?? last?.wall,
      time: hit?.time ?? last?.t,
      error: hit?.err ?? last?.err,
      fieldEvals: hit?.fieldEvals ?? res.points.at(-1)?.fieldEvals,
      jacobianEvals: hit?.jacobianEvals ?? res.points.at(-1)?.gramEvaluations,
      steps: hit?.steps ?? res.points.at(-1)?.accepted,
      status: res.status,
      trace,
    });
    out.flowTime = hit?.time; // the flow time at which the exact trajectory is within tol
    log(
      `  reduced: ${hit ? `t = ${hit.time.toPrecision(4)} in ${hit.wall.toFixed(2)} s` : `not reached (${res.status}, err ${last?.err})`}`,
    );
  }

  // (a') the NumPy peer's fixed-step gd from the same initial parameters and step
  let npm;
  if (ctx.peer.available) {
    const ans = runPeer(
      {
        mode: 'gd',
        X: Array.from({ length: n }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d))),
        y: Array.from(y),
        init: init[0].map((v) => Array.from(v)),
        step,
        beta_pred: Array.from(bp),
        tol,
        max_steps: 1e9,
        max_seconds: budgetS,
        check_every: 10,
      },
      1e3 * (budgetS + 120),
    );
    npm = {
      method: 'gd (NumPy peer)',
      reached: ans.reached,
      wallS: ans.seconds,
      time: ans.time,
      error: ans.error,
      fieldEvals: ans.steps,
      steps: ans.steps,
      status: ans.reached
        ? 'reached'
        : Number.isFinite(ans.error)
          ? `budget (${budgetS} s)`
          : 'non-finite',
      trace: ans.trace.map(([t, wall, err]) => ({ t, wall, err })),
    };
    log(
      `  numpy gd: ${npm.reached ? `${npm.wallS.toFixed(2)} s` : `err ${npm.error} at t = ${npm.time} after ${npm.wallS.toFixed(1)} s`}`,
    );
  }

  // (d) the user's alternative: scipy's LSODA on the full network's flow (it differences its Jacobian)
  if (cfg.lsoda !== false) {
    const ans = runScipyLsoda(
      {
        X: Array.from({ length: n }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d))),
        y: Array.from(y),
        init: init[0].map((v) => Array.from(v)),
        betaPred: Array.from(bp),
        tol,
        rtol: cfg.rtol,
        atol: 1e-12,
        budgetS: lsodaBudgetS,
        tMax: 1e9,
      },
      1e3 * (lsodaBudgetS + 120),
    );
    if (ans.available) {
      out.methods.push({
        method: `scipy LSODA (${ans.scipy}), full network`,
        peer: 'lsoda',
        budgetS: lsodaBudgetS,
        reached: ans.reached,
        wallS: ans.wallS,
        time: ans.time,
        error: ans.err,
        fieldEvals: ans.nfev,
        jacobianEvals: ans.njev ?? undefined,
        status: ans.status,
        trace: [],
      });
      log(`  scipy LSODA: ${ans.status} after ${ans.wallS.toFixed(2)} s (err ${ans.err})`);
    } else log(`  scipy LSODA: not run (${ans.reason})`);
  }

  const problem = { network, X, y, loss: 'squared', init, backend: ctx.cpu };
  // (a) our fixed-step gd, (b) our adaptive dopri5 — both on the full 2·d or 3·d parameters
  const gdOurs = await chunkedSolve(
    problem,
    {
      method: 'gd (ours, cpu)',
      opts: { method: 'gd', stepSize: step },
      grid: (i) => ({ steps: Math.ceil(100 * cfg.gridFactor ** i) }),
    },
    bp,
    tol,
    budgetS,
  );
  const dopri = await chunkedSolve(
    problem,
    {
      method: 'dopri5 (ours, cpu)',
      opts: { method: 'dopri5', rtol: cfg.rtol, atol: 1e-12 },
      grid: (i) => ({ time: 1e-2 * cfg.gridFactor ** i }),
    },
    bp,
    tol,
    budgetS,
  );
  // gd's own limit: a plateau of the error seen by either implementation (same iteration)
  out.gdPlateau = plateauOf(npm, out.flowTime) ?? plateauOf(gdOurs, out.flowTime);
  for (const m of [gdOurs, npm]) if (m) gdEstimate(m, out.flowTime, step, tol, out.gdPlateau);
  extrapolate(dopri, out.flowTime);
  out.methods.push(gdOurs, dopri);
  if (npm) out.methods.push(npm);
  return out;
}

/**
 * Start a flow (from the previous solution's checkpoint, when there is one: a new target or
 * horizon continues its run) and advance it for at most `budgetS` seconds of wall time. A run the
 * budget cut short is `running`, stopped by `paused`.
 */
function advanceWithin(problem, options, previous, budgetS) {
  const flow = startFlow(problem, options, previous ? { from: previous.checkpoint() } : {});
  try {
    flow.advance({ wallMs: budgetS * 1e3 });
    return flow.solution();
  } finally {
    flow.dispose();
  }
}

async function chunkedSolve(problem, spec, bp, tol, budgetS) {
  const trace = [];
  const t0 = now();
  let sol;
  let reached = false;
  let status = `budget (${budgetS} s)`;
  for (let i = 0; ; i++) {
    const wall = (now() - t0) / 1e3;
    const left = budgetS - wall;
    if (left <= 0) break;
    const options = {
      ...spec.opts,
      stallTol: 1e-300,
      maxSteps: 1e9,
      until: spec.grid(i),
      save: { count: 2 },
    };
    // each horizon continues the previous one's run; the budget left bounds the advance
    sol = advanceWithin(problem, options, sol, left);
    const run = sol.runs[0];
    const err = relativeDistance(run.beta, bp);
    trace.push({ t: run.time, wall: (now() - t0) / 1e3, err, evals: sol.stats.fieldEvals });
    if (run.status !== 'converged' && run.stoppedBy !== 'paused') {
      status = `${run.status}: ${run.message ?? run.stoppedBy}`;
      break;
    }
    if (err <= tol) {
      reached = true;
      status = 'reached';
      break;
    }
    if (run.stoppedBy === 'paused') break;
  }
  const last = trace[trace.length - 1];
  const m = {
    method: spec.method,
    reached,
    wallS: last?.wall,
    time: last?.t,
    error: last?.err,
    fieldEvals: sol?.stats.fieldEvals,
    steps: sol?.stats.accepted,
    status,
    trace,
  };
  log(
    `  ${spec.method}: ${reached ? `${m.wallS.toFixed(2)} s, ${m.fieldEvals} evals` : `${status}: err ${m.error?.toExponential(2)} at t = ${m.time?.toPrecision(4)} after ${m.wallS?.toFixed(1)} s`}`,
  );
  return m;
}

// ---------------------------------------------------------------- classification margins

/** Separable data of docs/theory/tensor-formulation.md's measurement: n = 10 points in d = 6, random hyperplane. */
export function separableProblem(be, L) {
  const n = 10;
  const d = 6;
  const [kx, kw] = split(key(5), 2);
  const xs = normal(kx, n * d);
  const w = normal(kw, d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  const y = X.map((r) => (r.reduce((s, v, j) => s + v * w[j], 0) >= 0 ? 1 : -1));
  const network = diagonal({ dim: d, depth: L });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.5, seed: 3 });
  return { network, X, y, loss: 'exponential', init, backend: be };
}

/** Wall time and field evaluations to margins 1e2, 1e4, 1e8 under the loss-normalized time. */
export async function classificationSection(ctx, cfg) {
  const out = [];
  for (const L of cfg.depths) {
    const problem = separableProblem(ctx.cpu, L);
    for (const method of cfg.methods) {
      const rows = [];
      const t0 = now();
      let sol;
      let stopped = false;
      for (const target of cfg.margins) {
        if (stopped) {
          rows.push({
            target,
            reached: false,
            status: 'not attempted (an earlier margin was not reached)',
          });
          continue;
        }
        const left = cfg.budgetS - (now() - t0) / 1e3;
        const options = {
          method,
          rtol: cfg.rtol,
          atol: 1e-12,
          time: 'loss-normalized',
          maxSteps: 1e9,
          until: { margin: target },
          save: { count: 2 },
        };
        // each margin continues the previous one's run; the budget left bounds the advance
        sol = advanceWithin(problem, options, sol, Math.max(1e-3, left));
        const run = sol.runs[0];
        const reached = run.stoppedBy === 'margin';
        rows.push({
          target,
          reached,
          margin: run.margin,
          wallS: (now() - t0) / 1e3,
          fieldEvals: sol.stats.fieldEvals,
          jacobianEvals: sol.stats.jacobianEvals,
          steps: sol.stats.accepted,
          stepper: run.stepper,
          status: reached
            ? 'reached'
            : run.stoppedBy === 'paused'
              ? `budget (${cfg.budgetS} s) spent at margin ${run.margin.toPrecision(3)}`
              : `${run.status}: ${run.message ?? run.stoppedBy}`,
        });
        log(
          `classification L=${L} ${method} margin ${target}: ${rows.at(-1).status}, ${sol.stats.fieldEvals} evals`,
        );
        if (!reached) stopped = true;
      }
      out.push({ L, method, rows });
    }
    // the user's alternative on the same problem: scipy's Radau (Hairer's reuse rule), analytic J for L = 2
    if (cfg.scipy !== false) {
      const peer = runScipyRadau({
        X: problem.X,
        y: problem.y,
        init: problem.init[0].flatMap((v) => Array.from(v)),
        depth: L,
        rtol: cfg.rtol,
        atol: 1e-12,
        margins: cfg.margins,
      });
      if (peer.available) {
        out.push({
          L,
          method: `scipy Radau (${peer.scipy})`,
          peer: true,
          rows: peer.rows.map((r) => ({
            target: r.target,
            reached: r.reached,
            margin: r.margin,
            wallS: r.wallS,
            fieldEvals: r.nfev,
            jacobianEvals: r.njev,
            steps: r.steps,
            stepper: 'Radau',
            status: r.status,
          })),
        });
        log(
          `classification L=${L} scipy Radau: ${peer.rows.map((r) => `${r.njev} Jacobians`).join(', ')}`,
        );
      } else log(`classification L=${L} scipy Radau: not run (${peer.reason})`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- batched vs sequential

/**
 * B runs of fixed-step gd batched in one solveFlow versus B solveFlow calls, per backend:
 * `cfg.reps` (default 5) interleaved repetitions of each after a warm-up solve, medians. The
 * field alone is measured the same way (`field`: one evaluation of the B rows against B one-row
 * calls, each as gd takes it at an accepted point: `evaluateObserved`, F with the observation,
 * where the field offers it, else `evaluate` and then `observe`), which separates the field from
 * the solver's per-run costs: `perRowStepUs` is the batched solve per row and step,
 * `fieldRowStepUs` the field's share of it.
 */
export async function batchedSection(ctx, cfg) {
  const out = [];
  const { n, d, L, B, steps } = cfg;
  const reps = cfg.reps ?? 5;
  const ds = gaussianRegression({ n, d, seed: 2, sparsity: 5 });
  const network = diagonal({ dim: d, depth: L });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.1, seed: 4 }, B);
  const median = (xs) => summarize(xs).medianUs; // the quantile alone (units as given)
  for (const s of ctx.usable) {
    let be;
    try {
      be = await selectBackend(s.id, { plugins: ctx.plugins, env: {} });
    } catch (e) {
      log(`batched: ${s.id}: create() failed: ${e.message}`);
      continue;
    }
    try {
      const problem = (runs) => ({
        network,
        X: ds.X,
        y: ds.y,
        loss: 'squared',
        init: runs,
        backend: be,
      });
      const opts = { method: 'gd', stepSize: 1e-4, until: { steps }, save: { count: 2 } };
      await solveFlow(problem(init.slice(0, 2)), opts); // warm-up (kernels, JIT)
      const batchedT = [];
      const sequentialT = [];
      let batched;
      let seq;
      for (let rep = 0; rep < reps; rep++) {
        let t0 = now();
        batched = await solveFlow(problem(init), opts);
        batchedT.push((now() - t0) / 1e3);
        t0 = now();
        seq = [];
        for (const run of init) seq.push(await solveFlow(problem([run]), opts));
        sequentialT.push((now() - t0) / 1e3);
      }
      const batchedS = median(batchedT);
      const sequentialS = median(sequentialT);
      const field = fieldBatched(be, network, ds, init, reps, median);
      // the same runs either way: the largest relative difference of the final β
      let maxDiff = 0;
      seq.forEach((sol, b) => {
        maxDiff = Math.max(maxDiff, relativeDistance(sol.runs[0].beta, batched.runs[b].beta));
      });
      // gd: one evaluation with its observation per row and step; the rest is the engine's
      const perRowStepUs = (batchedS / (B * steps)) * 1e6;
      const fieldRowStepUs = ((field.batchedS + (field.observeS ?? 0)) / B) * 1e6;
      out.push({
        backend: s.id,
        precision: be.precision,
        B,
        perRowStepUs,
        fieldRowStepUs,
        steps,
        n,
        d,
        L,
        batchedS,
        sequentialS,
        speedup: sequentialS / batchedS,
        maxDiff,
        reps,
        field,
      });
      log(
        `batched ${s.id}: solve: batched ${batchedS.toFixed(3)} s, sequential ${sequentialS.toFixed(3)} s ` +
          `(${(sequentialS / batchedS).toFixed(2)}×); field: ${B} rows in one call ` +
          `${(field.batchedS * 1e3).toFixed(3)} ms, ${B} calls ${(field.sequentialS * 1e3).toFixed(3)} ms ` +
          `(${field.speedup.toFixed(2)}×); per row-step of the batched solve ${perRowStepUs.toFixed(1)} µs, ` +
          `of which the field ${fieldRowStepUs.toFixed(1)} µs (${field.observeS === undefined ? 'evaluateObserved' : 'evaluate and observe'}); medians of ${reps}`,
      );
    } catch (e) {
      out.push({ backend: s.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      await be.close();
    }
  }
  return out;
}

/** The field alone: one `evaluate` of the B initial rows against B one-row calls (medians, s). */
function fieldBatched(be, network, ds, init, reps, median) {
  const X = be.fromHost(ds.X.data, [ds.X.rows, ds.X.cols]);
  const y = be.fromHost(ds.y, [ds.y.length]);
  const field = networkField({
    network,
    backend: be,
    X,
    y,
    labels: ds.y,
    loss: 'squared',
    time: 'physical',
  });
  const rows = init.map((layers) => {
    const row = new Float64Array(field.dim);
    layers.forEach((v, l) => row.set(v, field.offsets[l]));
    return row;
  });
  const state = new Float64Array(rows.length * field.dim);
  rows.forEach((row, r) => state.set(row, r * field.dim));
  const batchedT = [];
  const sequentialT = [];
  const observeT = [];
  const inner = 20; // evaluations per sample, so a sample is well above the timer's resolution
  // into preallocated outputs, as the steppers evaluate; with the observation when the field
  // gives it from the same pass (what gd takes at every accepted point)
  const outAll = new Float64Array(state.length);
  const outRow = new Float64Array(field.dim);
  const obsOf = (k) => ({
    loss: new Float64Array(k),
    logLoss: new Float64Array(k),
    margin: new Float64Array(k),
  });
  const obsAll = obsOf(rows.length);
  const obsRow = obsOf(1);
  const byProduct = typeof field.evaluateObserved === 'function';
  const evalAll = byProduct
    ? () => field.evaluateObserved(state, rows.length, undefined, obsAll, outAll)
    : () => field.evaluate(state, rows.length, undefined, outAll);
  const evalRow = byProduct
    ? (row) => field.evaluateObserved(row, 1, undefined, obsRow, outRow)
    : (row) => field.evaluate(row, 1, undefined, outRow);
  evalAll(); // warm-up
  for (const row of rows) evalRow(row);
  for (let rep = 0; rep < reps; rep++) {
    let t0 = now();
    for (let i = 0; i < inner; i++) evalAll();
    batchedT.push((now() - t0) / 1e3 / inner);
    t0 = now();
    for (let i = 0; i < inner; i++) for (const row of rows) evalRow(row);
    sequentialT.push((now() - t0) / 1e3 / inner);
    if (byProduct) continue;
    // the observation (loss, log-loss, margin) the engine takes at every accepted point
    t0 = now();
    for (let i = 0; i < inner; i++) field.observe(state, rows.length);
    observeT.push((now() - t0) / 1e3 / inner);
  }
  field.dispose();
  be.dispose([X, y]);
  const batchedS = median(batchedT);
  const sequentialS = median(sequentialT);
  return {
    fused: field.fused,
    batchedS,
    sequentialS,
    speedup: sequentialS / batchedS,
    ...(byProduct ? {} : { observeS: median(observeT) }),
  };
}
