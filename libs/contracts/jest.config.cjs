// Unit tests of contracts: pure and fast; integration suites (*.int.spec.ts) run from the root int config.
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'contracts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
