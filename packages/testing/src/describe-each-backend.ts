import { tolerance } from '@implicit-bias/core';
import type { Tolerance } from '@implicit-bias/core';
import type { Backend, BackendPlugin } from '@implicit-bias/backend';
import { nodePlugins } from './node-plugins.js';
import { selectTestBackendIds } from './env.js';
import { captureDescribeBlock } from './jest-skip.js';

/** What a suite body of {@link describeEachBackend} receives for one backend. */
export interface BackendSuiteContext {
  /** The backend under test; call inside tests or hooks (it is created in `beforeAll`). */
  readonly backend: () => Backend;
  /** Its plug-in. */
  readonly plugin: BackendPlugin;
  /** Tolerance for results `ops` roundings away from a float64 oracle, from the precision. */
  readonly tol: (ops?: number) => Tolerance;
}

/** Why a plug-in cannot run here, or undefined when it can (never throws). */
export async function unavailableReason(plugin: BackendPlugin): Promise<string | undefined> {
  try {
    const r = await plugin.probe();
    return r.ok ? undefined : r.reason;
  } catch (e) {
    return `probe threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Declare one jest `describe` for a plug-in: probe it and create the backend in `beforeAll`,
 * close it in `afterAll`. When the probe fails, the block's tests are skipped and the first
 * one's title reads `<id> unavailable: <reason>`; a block with no tests gets a skipped
 * placeholder with that title only when the reason is known at collection (`knownReason`).
 */
export function describeBackend(
  plugin: BackendPlugin,
  title: string,
  body: (ctx: BackendSuiteContext) => void,
  knownReason?: string,
): void {
  describe(`${title} [${plugin.id}]`, () => {
    if (knownReason !== undefined) {
      it.skip(`${plugin.id} unavailable: ${knownReason}`, () => undefined);
      return;
    }
    const block = captureDescribeBlock();
    let backend: Backend | undefined;
    beforeAll(async () => {
      const reason = await unavailableReason(plugin);
      if (reason !== undefined) {
        const message = `${plugin.id} unavailable: ${reason}`;
        if (block === undefined) throw new Error(message);
        block.skipAll(message);
        return;
      }
      backend = await plugin.create();
    });
    afterAll(async () => {
      await backend?.close();
    });
    body({
      backend: () => {
        if (backend === undefined) throw new Error(`${plugin.id} backend was not created`);
        return backend;
      },
      plugin,
      tol: (ops?: number) => tolerance(plugin.precision, ops),
    });
  });
}

/**
 * Declare `describe(title [id])` once per backend selected by `IMPLICIT_BIAS_TEST_BACKENDS`
 * (default `cpu,tfjs-cpu,wasm`) among `plugins` (default {@link nodePlugins}). Each block
 * creates its backend in `beforeAll` (after probing) and closes it in `afterAll`; an
 * unavailable backend shows as skipped tests titled with the reason, and a default id with
 * no plug-in in `plugins` as one skipped test saying so. Unknown ids in the variable throw
 * `INVALID_CONFIG` listing the valid ids.
 */
export function describeEachBackend(
  title: string,
  body: (ctx: BackendSuiteContext) => void,
  plugins: readonly BackendPlugin[] = nodePlugins(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  for (const id of selectTestBackendIds(plugins, env)) {
    const plugin = plugins.find((p) => p.id === id);
    if (plugin !== undefined) {
      describeBackend(plugin, title, body);
    } else {
      describe(`${title} [${id}]`, () => {
        it.skip(`${id} unavailable: no plug-in for it is installed in this test harness`, () =>
          undefined);
      });
    }
  }
}
