import { resolve as resolvePath, extname } from 'node:path';
import { ImplicitBiasError, isImplicitBiasError } from '@implicit-bias/core';
import {
  gaussianRegression,
  loadCsvFile,
  loadJsonFile,
  separableClassification,
  soudry2018,
  woodworthSparse,
} from '@implicit-bias/datasets';
import type { Dataset } from '@implicit-bias/datasets';
import {
  convolutional,
  diagonal,
  fullyConnected,
  groupNetwork,
  initialize,
} from '@implicit-bias/networks';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { parseRunConfig } from './run-config.js';
import type { RunConfig } from './run-config.js';
import { usesExactMethod } from './train-exact.js';

/** Re-throw a library error with its path placed under a config section (`data.n`, `network.filters[0]`). */
export function underPath<T>(section: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isImplicitBiasError(e)) {
      const inner = e.path;
      const path =
        inner === undefined ? section : inner.startsWith(section) ? inner : `${section}.${inner}`;
      const bare =
        inner !== undefined && e.message.startsWith(`${inner}: `)
          ? e.message.slice(inner.length + 2)
          : e.message;
      throw new ImplicitBiasError(e.code, bare, {
        path,
        cause: e,
        ...(e.data ? { data: e.data } : {}),
      });
    }
    throw e;
  }
}

/**
 * The data set a config names: a file (JSON or CSV, resolved against `baseDir`, the config
 * file's directory) or a seeded generator. Validated for the config's task.
 */
export async function loadRunData(cfg: RunConfig, baseDir: string): Promise<Dataset> {
  const d = cfg.data;
  if ('file' in d) {
    const file = resolvePath(baseDir, d.file);
    const format = d.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'json');
    const options = { task: cfg.task, name: d.file };
    return format === 'csv'
      ? loadCsvFile(file, { ...options, ...(d.label !== undefined ? { label: d.label } : {}) })
      : loadJsonFile(file, options);
  }
  const ds = underPath('data', (): Dataset => {
    const { generator, ...o } = d;
    switch (d.generator) {
      case 'gaussian-regression':
        return gaussianRegression(o as Parameters<typeof gaussianRegression>[0]);
      case 'separable-classification':
        return separableClassification(o as Parameters<typeof separableClassification>[0]);
      case 'soudry2018':
        return soudry2018(o as Parameters<typeof soudry2018>[0]);
      case 'woodworth-sparse':
        return woodworthSparse(o as Parameters<typeof woodworthSparse>[0]);
      default:
        throw new ImplicitBiasError('INVALID_CONFIG', `unknown generator '${String(generator)}'`, {
          path: 'generator',
        });
    }
  });
  if (ds.task !== cfg.task) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `generator '${d.generator}' makes ${ds.task} data but task is '${cfg.task}'`,
      { path: 'task' },
    );
  }
  return ds;
}

/** The network a config names, for inputs of dimension `inputDim`. */
export function buildNetwork(cfg: RunConfig, inputDim: number): LinearTensorNetwork {
  const n = cfg.network;
  return underPath('network', () => {
    switch (n.kind) {
      case 'diagonal':
        return diagonal({ dim: inputDim, depth: n.depth });
      case 'fully-connected':
        return fullyConnected({ inputDim, hidden: n.hidden });
      case 'convolutional':
        return convolutional({
          dim: inputDim,
          depth: n.depth,
          ...(n.filters ? { filters: n.filters } : {}),
        });
      case 'group': {
        const net = groupNetwork({ group: n.group, depth: n.depth });
        if (net.inputDim !== inputDim) {
          throw new ImplicitBiasError(
            'SHAPE_MISMATCH',
            `the group has order ${net.inputDim} but the data have d = ${inputDim} features: a group network takes functions on the group (d = |G|)`,
            { path: 'group' },
          );
        }
        return net;
      }
    }
  });
}

/** Initial parameters (one run) for a config. */
export function initialParams(cfg: RunConfig, net: LinearTensorNetwork): Float64Array[] {
  return underPath('init', () => initialize(net, cfg.init)[0]!);
}

/** A run made ready to train: its validated config, data, network and initial parameters. */
export interface PreparedRun {
  /**
   * How it is solved: `'exact'` (the exact reduced flow: `flow.method` `'exact'`, or `'auto'` on
   * odeco regression with the odeco initialization) or `'network'` (the full network's flow).
   */
  readonly solver: 'exact' | 'network';
  /** The validated config (defaults filled in). */
  readonly config: RunConfig;
  /** The data it names (loaded, generated or given), validated. */
  readonly data: Dataset;
  /** The network it names, for the data's input dimension. */
  readonly network: LinearTensorNetwork;
  /** Initial parameters of the one run, one array per layer. */
  readonly init: Float64Array[];
}

/**
 * The one way a run config becomes a trainable run (train, compare, sweeps, the suite): validate
 * the config (plain JSON or an already parsed config), load its data relative to `baseDir`,
 * build its network and initial parameters, and resolve `flow.method` (`'exact'` where the
 * exact reduced flow does not apply is refused). Every problem is an `ImplicitBiasError` naming
 * the field.
 */
export async function prepareRun(json: unknown, baseDir = '.'): Promise<PreparedRun> {
  const config = parseRunConfig(json);
  const data = await loadRunData(config, baseDir);
  const network = buildNetwork(config, data.X.cols);
  const init = initialParams(config, network);
  const solver = usesExactMethod(config, network) ? 'exact' : 'network';
  return { config, data, network, init, solver };
}
