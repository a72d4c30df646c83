const preset = require('../jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'examples',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 300000,
};
