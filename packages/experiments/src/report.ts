import type { StationaryComparison } from './stationary-point.js';

/** A table in the report. */
export interface ReportTable {
  /** Column titles. */
  readonly columns: readonly string[];
  /** One array per row, in column order; `null` renders as an empty cell. */
  readonly rows: readonly (readonly (string | number | null)[])[];
}

/** A pass/fail statement checked against the run's numbers. */
export interface ReportCheck {
  /** The claim with its threshold, e.g. "diagonal networks reach … ≤ 1e−6 at every α". */
  readonly claim: string;
  /** Whether this run's numbers satisfy it. */
  readonly passed: boolean;
  /** The measured value(s) behind the verdict, e.g. "worst 1.04e-10 over 10 points". */
  readonly detail: string;
}

/** A rendered figure. */
export interface ReportFigure {
  /** Figure id, unique within its section (also the SVG file name suffix). */
  readonly id: string;
  /** What is plotted and what to look for. */
  readonly caption: string;
  /** The rendered SVG markup, inlined into the report. */
  readonly svg: string;
}

/** One experiment's section. */
export interface ReportSection {
  /** The experiment's id. */
  readonly id: string;
  /** The experiment's title. */
  readonly title: string;
  /** What was run and what the theory predicts (plain text, paragraphs split on blank lines). */
  readonly description: string;
  /** Rendered figures. */
  readonly figures: readonly ReportFigure[];
  /** Every point with its parameters and metrics. */
  readonly table: ReportTable;
  /** The experiment's claims, evaluated on this run. */
  readonly checks: readonly ReportCheck[];
}

/** The whole report. */
export interface Report {
  /** Title of the page. */
  readonly title: string;
  /** When it was generated (ISO 8601). */
  readonly generated: string;
  /** Protocol statement: what we ran, and that the paper's exact hyper-parameters are not reproduced. */
  readonly protocol: string;
  /** Environment lines (node version, platform, backend, …) shown with the protocol. */
  readonly environment: Readonly<Record<string, string>>;
  /** One section per experiment. */
  readonly sections: readonly ReportSection[];
}

/** Escape text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

/** Format a number for tables: 3 significant digits, exponent form for small/large values. */
export function formatNumber(v: string | number | null): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toPrecision(3);
}

const paragraphs = (text: string): string =>
  text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
    .join('\n');

function table(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(formatNumber(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function section(s: ReportSection): string {
  const checks = s.checks
    .map(
      (c) =>
        `<li class="${c.passed ? 'pass' : 'fail'}"><strong>${c.passed ? 'holds' : 'does not hold'}:</strong> ` +
        `${escapeHtml(c.claim)} <span class="detail">(${escapeHtml(c.detail)})</span></li>`,
    )
    .join('\n');
  const figs = s.figures
    .map(
      (f) =>
        `<figure id="fig-${escapeHtml(f.id)}">${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`,
    )
    .join('\n');
  return `<section id="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.title)}</h2>
${paragraphs(s.description)}
<div class="figures">${figs}</div>
${checks ? `<h3>Checks</h3><ul class="checks">${checks}</ul>` : ''}
<details><summary>Numbers per point (${s.table.rows.length})</summary>${table(s.table)}</details>
</section>`;
}

/** Render a self-contained HTML report (inline SVG and CSS; opens offline). */
export function renderReportHtml(r: Report): string {
  const env = Object.entries(r.environment)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const toc = r.sections
    .map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.figures{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0;max-width:680px}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;color:#444}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:right}
th{background:#f5f5f5}.checks li.pass strong{color:#176317}.checks li.fail strong{color:#a31515}.detail{color:#555}
.protocol{background:#f8f8f0;border-left:4px solid #c9b458;padding:.5em 1em}
</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
<p>Generated ${escapeHtml(r.generated)}.</p>
<div class="protocol">${paragraphs(r.protocol)}</div>
<table class="env">${env}</table>
<ol>${toc}</ol>
${r.sections.map(section).join('\n')}
</body></html>
`;
}

/**
 * Plain-text lines describing a compare result's {@link StationaryComparison} (L ≥ 3
 * classification): the distance from the trained direction to the flow's own certified KKT point,
 * to the predictor's point, and whether they are the same point.
 */
export function describeStationary(s: StationaryComparison): string[] {
  const cert = (c: StationaryComparison['certificate'] | null): string =>
    c === null
      ? 'no certificate'
      : `${c.certified ? 'certified' : 'NOT certified'} KKT point (stationarity ${c.stationarity.toExponential(2)}, complementarity ${c.complementarity.toExponential(2)}, infeasibility ${c.primalInfeasibility.toExponential(2)})`;
  const lines = [
    `flow's stationary point (Newton from the trained direction, support [${s.support.join(', ')}], objective ${formatNumber(s.objective)}, ${s.status}): 1 − cos = ${s.distance.toExponential(3)}, ${cert(s.certificate)}`,
  ];
  if (s.predictionDistance !== null) {
    lines.push(
      `predictor's point: 1 − cos = ${s.predictionDistance.toExponential(3)}, ${cert(s.predictionCertificate)}`,
      s.samePoint === true
        ? `same point (1 − cos between them ${(s.pointDistance ?? 0).toExponential(2)} ≤ ${s.samePointTolerance.toExponential(0)})`
        : `different KKT points (1 − cos between them ${(s.pointDistance ?? NaN).toExponential(2)} > ${s.samePointTolerance.toExponential(0)}): the theory (L ≥ 3) promises only some KKT point`,
    );
  }
  return lines;
}
