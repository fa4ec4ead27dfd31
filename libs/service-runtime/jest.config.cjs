// Unit tests of service-runtime: pure and fast; integration suites (*.int.spec.ts) run from the root int config.
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'service-runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
