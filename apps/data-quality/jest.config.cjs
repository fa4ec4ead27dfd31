// Unit tests of data-quality: pure and fast; integration suites (*.int.spec.ts) run from the root int config.
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'data-quality',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
