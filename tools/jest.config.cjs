const preset = require('../jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'tools',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 120000,
};
