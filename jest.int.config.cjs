// Integration suites (*.int.spec.ts): real Kafka and PostgreSQL from the local stack (`pnpm stack up`),
// whose addresses come from .stack/stack.env or the environment.
const preset = require('./jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.int.spec.ts'],
  setupFiles: ['<rootDir>/tools/testing/load-stack-env.cjs'],
  testTimeout: 60000,
  maxWorkers: 2,
  // KafkaJS keeps retry timers alive briefly after disconnect; never let a finished run hang CI.
  forceExit: true,
};
