import type { BackendPlugin } from '@implicit-bias/backend';
import { caseContext, conformanceCases } from '../conformance/cases.js';

/** Name of the global a conformance page publishes its {@link PageConformanceReport} under. */
export const PAGE_CONFORMANCE_GLOBAL = '__implicitBiasConformance';

/** One case's outcome in a browser page. */
export interface PageCaseResult {
  /** Group of the contract (as in {@link conformanceCases}). */
  readonly group: string;
  /** The case's name (unique; the Node side matches results by it). */
  readonly name: string;
  /** Whether the backend conformed. */
  readonly ok: boolean;
  /** The violation, when it did not. */
  readonly message?: string;
}

/** What a conformance page reports to the Node side that drives the browser. */
export interface PageConformanceReport {
  /** True once every case has run (or the backend turned out to be unavailable). */
  readonly done: boolean;
  /** The plug-in's id. */
  readonly backend: string;
  /** The probe's reason when the backend cannot run in this browser. */
  readonly unavailable?: string;
  /** An error outside any case (creating the backend failed). */
  readonly error?: string;
  /** The id and precision the created backend reports. */
  readonly created?: { readonly id: string; readonly precision: string };
  /** Results so far, in the order of {@link conformanceCases}. */
  readonly results: readonly PageCaseResult[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Run every Backend conformance case against `plugin` in the page that calls it (the body of a
 * browser conformance page), with the same tolerances as the Node suites (from the backend's
 * precision). Progress is published on `globalThis[PAGE_CONFORMANCE_GLOBAL]` after every case,
 * so the Node side can wait for `done` and turn each result into its own test; a summary line
 * is written into the page's body when there is one. Resolves with the final report; never
 * rejects.
 */
export async function runConformancePage(plugin: BackendPlugin): Promise<PageConformanceReport> {
  const g = globalThis as unknown as Record<string, PageConformanceReport> & {
    document?: { body?: { textContent: string | null } | null };
  };
  const publish = (r: PageConformanceReport): PageConformanceReport => {
    g[PAGE_CONFORMANCE_GLOBAL] = r;
    const body = g.document?.body;
    if (body) {
      const failed = r.results.filter((x) => !x.ok).length;
      body.textContent =
        `${r.backend}: ${r.results.length} cases run, ${failed} failed` +
        (r.done ? ' (done)' : '') +
        (r.unavailable !== undefined ? ` — unavailable: ${r.unavailable}` : '') +
        (r.error !== undefined ? ` — error: ${r.error}` : '');
    }
    return r;
  };
  const results: PageCaseResult[] = [];
  publish({ done: false, backend: plugin.id, results });
  const probe = await plugin.probe();
  if (!probe.ok)
    return publish({ done: true, backend: plugin.id, unavailable: probe.reason, results });
  let ctx: ReturnType<typeof caseContext>;
  try {
    ctx = caseContext(await plugin.create());
  } catch (e) {
    return publish({ done: true, backend: plugin.id, error: message(e), results });
  }
  const created = { id: ctx.backend.id, precision: ctx.backend.precision };
  for (const c of conformanceCases()) {
    try {
      await c.run(ctx);
      results.push({ group: c.group, name: c.name, ok: true });
    } catch (e) {
      results.push({ group: c.group, name: c.name, ok: false, message: message(e) });
    }
    publish({ done: false, backend: plugin.id, created, results: [...results] });
  }
  return publish({ done: true, backend: plugin.id, created, results });
}
