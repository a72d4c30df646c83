module.exports = { ...require('../../jest.preset.cjs'), displayName: 'backend-wasm' };
