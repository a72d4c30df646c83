module.exports = { ...require('../../jest.preset.cjs'), displayName: 'backend-webgl' };
