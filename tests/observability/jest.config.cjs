// Static checks of the observability bundle: rule files, runbooks, dashboards and the metric names
// they use against the names registered in code. promtool checks run in scripts/ci/observability-check.sh.
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'observability',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
