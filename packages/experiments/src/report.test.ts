import { escapeHtml, formatNumber, renderReportHtml } from './report.js';

describe('report', () => {
  it('renders sections, checks, figures and escaped text into one self-contained page', () => {
    const html = renderReportHtml({
      title: 'Report <1>',
      generated: '2026-01-01',
      protocol: 'Our protocol.\n\nNot the paper’s hyper-parameters.',
      environment: { node: 'v20' },
      sections: [
        {
          id: 'rq1',
          title: 'Regression',
          description: 'Text & more.',
          figures: [{ id: 'f1', caption: 'cap', svg: '<svg id="x"></svg>' }],
          table: {
            columns: ['alpha', 'dist'],
            rows: [
              [0.001, 1.23e-9],
              [1, null],
            ],
          },
          checks: [{ claim: 'dist ≤ 1e-6', passed: true, detail: 'max 1.2e-9' }],
        },
      ],
    });
    expect(html).toContain('<title>Report &lt;1&gt;</title>');
    expect(html).toContain('<svg id="x"></svg>');
    expect(html).toContain('Text &amp; more.');
    expect(html).toContain('<td>1.23e-9</td>');
    expect(html).toContain('<strong>holds:</strong>');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('formats numbers with three significant digits', () => {
    expect(formatNumber(0.000123456)).toBe('1.23e-4');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(0.5)).toBe('0.500');
    expect(formatNumber(null)).toBe('—');
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
  });
});
