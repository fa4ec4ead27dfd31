// Chart and image checks (tests/deploy/*.deploy-spec.ts): render the Helm chart with the helm binary on
// PATH (scripts/ci/helm-check.sh installs it) and read the Dockerfile. No cluster, no Docker engine.
const path = require('node:path');
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'deploy',
  rootDir: path.join(__dirname, '../..'),
  testMatch: ['<rootDir>/tests/deploy/**/*.deploy-spec.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
