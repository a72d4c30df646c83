// Writes each jest project's totals to .reports/jest/<displayName>.json for the CI summary line.
const fs = require('node:fs');
const path = require('node:path');

class JsonSummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }
  onRunComplete(contexts, results) {
    const [ctx] = contexts;
    const dn = ctx?.config?.displayName;
    const name = (typeof dn === 'string' ? dn : dn?.name) ?? path.basename(process.cwd());
    const dir = path.join(__dirname, '../../.reports/jest');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      project: name,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: results.numTotalTestSuites,
      // results.success is not final when reporters run: derive it from the counts
      success: results.numFailedTests + results.numRuntimeErrorTestSuites === 0,
    };
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(summary, null, 2) + '\n');
  }
}
module.exports = JsonSummaryReporter;
