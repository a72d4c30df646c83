// Shared jest preset: TypeScript through SWC (no type-check here; `tsc -b` is the type gate),
// workspace packages resolved to their sources so tests never depend on a stale build.
const path = require('node:path');
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@implicit-bias/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    // the Node-side browser helpers of the test harness (Chromium launch, static server)
    '^@implicit-bias/testing/browser$': path.join(
      __dirname,
      'packages/testing/src/browser/index.ts',
    ),
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // each project writes its JSON results for the CI summary line
  reporters: ['default', [path.join(__dirname, 'tools/scripts/jest-json-reporter.cjs'), {}]],
};
