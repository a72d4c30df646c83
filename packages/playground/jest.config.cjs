const path = require('node:path');
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'playground',
  moduleNameMapper: {
    // the Node-side browser helpers of the test harness (Chromium launch, static server)
    '^@implicit-bias/testing/browser$': path.join(__dirname, '../testing/src/browser/index.ts'),
    ...preset.moduleNameMapper,
  },
};
