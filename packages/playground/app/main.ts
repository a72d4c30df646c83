import type { Backend } from '@implicit-bias/backend';
import type { Task } from '@implicit-bias/datasets';
import { isImplicitBiasError } from '@implicit-bias/core';
import {
  distanceTolerance,
  prepareRun,
  readPastedData,
  runPlayground,
} from '@implicit-bias/playground';
import type {
  DataSource,
  NetworkKind,
  PlaygroundSettings,
  RunFrame,
} from '@implicit-bias/playground';
import { betaChart, lineChart } from './chart.js';
import { browserPlugin } from './backends.js';
import type { BrowserBackendId } from './backends.js';

function $<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
}

const form = $<HTMLFormElement>('settings');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const errorBox = $<HTMLParagraphElement>('error');
const statusLine = $<HTMLParagraphElement>('status');
const distanceOut = $<HTMLElement>('distance');
const toleranceOut = $<HTMLElement>('tolerance');
const predictionOut = $<HTMLElement>('prediction');
const charts = {
  loss: $('chart-loss') as unknown as SVGSVGElement,
  margin: $('chart-margin') as unknown as SVGSVGElement,
  distance: $('chart-distance') as unknown as SVGSVGElement,
  beta: $('chart-beta') as unknown as SVGSVGElement,
};

let stopRequested = false;

/** `direction` rescaled to the Euclidean length of `like`. */
function atLengthOf(direction: ArrayLike<number>, like: ArrayLike<number>): Float64Array {
  const len = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));
  const k = len(direction) === 0 ? 0 : len(like) / len(direction);
  return Float64Array.from(direction, (v) => v * k);
}

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function describeError(e: unknown): string {
  if (isImplicitBiasError(e)) {
    const path = (e as { path?: unknown }).path;
    return typeof path === 'string' && path !== '' && !e.message.includes(path)
      ? `${path}: ${e.message}`
      : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

function setStatus(status: string, text: string): void {
  statusLine.dataset['status'] = status;
  statusLine.textContent = text;
}

function num(id: string): number {
  return Number($<HTMLInputElement>(id).value);
}

/** Read the form; an inline error (and undefined) when the pasted data is bad. */
function readSettings(): PlaygroundSettings | undefined {
  const task = $<HTMLSelectElement>('task').value as Task;
  let data: DataSource;
  if ($<HTMLInputElement>('source-pasted').checked) {
    const pasted = readPastedData($<HTMLTextAreaElement>('csv').value, task);
    if (!pasted.ok) {
      showError(pasted.message);
      return undefined;
    }
    data = { source: 'pasted', dataset: pasted.dataset };
  } else {
    data = { source: 'generated', n: num('n'), d: num('d'), seed: num('seed') };
  }
  return {
    network: $<HTMLSelectElement>('network').value as NetworkKind,
    depth: num('depth'),
    alpha: num('alpha'),
    task,
    data,
  };
}

async function run(): Promise<void> {
  errorBox.hidden = true;
  const settings = readSettings();
  if (settings === undefined) {
    setStatus('error', 'Fix the data and press Run again.');
    return;
  }
  setStatus('preparing', 'Computing the prediction…');
  const prepared = await prepareRun(settings);
  const id = $<HTMLSelectElement>('backend').value as BrowserBackendId;
  const plugin = browserPlugin(id);
  const probe = await plugin.probe();
  if (!probe.ok) throw new Error(`the ${id} backend cannot run in this browser: ${probe.reason}`);
  const backend: Backend = await plugin.create();
  const regression = settings.task === 'regression';
  const tol = distanceTolerance(backend.precision);
  const p = prepared.prediction;
  predictionOut.textContent =
    'notSupported' in p
      ? p.notSupported
      : `${p.reference}${p.exact ? '' : ' (approximate here: a reference point, not an exact limit)'}`;
  toleranceOut.dataset['value'] = regression ? String(tol) : '';
  toleranceOut.textContent = regression
    ? `${tol.toExponential(2)} (${backend.precision})`
    : 'none: the direction converges only logarithmically; watch the gap fall';
  const history = {
    t: [] as number[],
    loss: [] as number[],
    margin: [] as number[],
    dist: [] as number[],
  };
  const predicted = 'notSupported' in p ? undefined : p.beta;
  const draw = (f: RunFrame): void => {
    for (const q of f.points) {
      history.t.push(q.time);
      history.loss.push(q.loss);
      history.margin.push(q.normalizedMargin);
      history.dist.push(q.distance ?? Number.NaN);
    }
    lineChart(charts.loss, { x: history.t, y: history.loss }, { logY: true });
    lineChart(charts.margin, { x: history.t, y: history.margin });
    lineChart(charts.distance, { x: history.t, y: history.dist }, { logY: true });
    // classification predicts a direction: show it at the length of the current β
    betaChart(
      charts.beta,
      f.beta,
      predicted && !regression ? atLengthOf(predicted, f.beta) : predicted,
    );
    distanceOut.dataset['value'] = f.distance === undefined ? '' : String(f.distance);
    distanceOut.textContent =
      f.distance === undefined ? 'no prediction' : f.distance.toExponential(3);
    if (!f.done) {
      setStatus(
        'running',
        `running on ${backend.id}: t = ${f.time.toPrecision(4)}, ${f.steps} steps, loss ${f.loss.toExponential(2)}`,
      );
    }
  };
  stopRequested = false;
  stopButton.disabled = false;
  try {
    const last = await runPlayground(prepared, backend, {
      onFrame: draw,
      shouldStop: () => stopRequested,
    });
    const within = last.distance !== undefined && regression && last.distance <= tol;
    distanceOut.className =
      regression && last.distance !== undefined ? (within ? 'pass' : 'fail') : '';
    setStatus(
      'done',
      `done on ${backend.id} (${last.status}${last.message !== undefined ? `: ${last.message}` : ''}): ` +
        `t = ${last.time.toPrecision(4)}, ${last.steps} steps, loss ${last.loss.toExponential(2)}` +
        (regression && last.distance !== undefined
          ? within
            ? ' — within the tolerance of the prediction'
            : ' — NOT within the tolerance of the prediction'
          : ''),
    );
  } finally {
    stopButton.disabled = true;
    await backend.close();
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  runButton.disabled = true;
  run()
    .catch((e: unknown) => {
      showError(describeError(e));
      setStatus('error', 'The run failed; see the message above.');
    })
    .finally(() => {
      runButton.disabled = false;
    });
});
stopButton.addEventListener('click', () => {
  stopRequested = true;
});
// anything that escapes still shows up in the page, never only in the console
window.addEventListener('error', (ev) => showError(`unexpected error: ${ev.message}`));
window.addEventListener('unhandledrejection', (ev) =>
  showError(`unexpected error: ${describeError(ev.reason)}`),
);
setStatus('idle', 'Pick settings and press Run.');
