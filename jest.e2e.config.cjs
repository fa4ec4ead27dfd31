// Workspace end-to-end suites: every service and the paper broker as real processes (built first by
// `nx run-many -t build`), on the local stack's Kafka and PostgreSQL.
const preset = require('./jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts', '<rootDir>/apps/*/test/**/*.e2e-spec.ts'],
  setupFiles: ['<rootDir>/tools/testing/load-stack-env.cjs'],
  testTimeout: 120000,
  maxWorkers: 1,
  // KafkaJS keeps retry timers alive briefly after disconnect; never let a finished run hang CI.
  forceExit: true,
};
