// Shared Jest settings: @swc/jest with Nest-compatible decorators, and the tsconfig path aliases.
const path = require('node:path');

const root = __dirname;
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@tlp/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
  '^@tlp/messaging$': path.join(root, 'libs/messaging/src/index.ts'),
  '^@tlp/broker$': path.join(root, 'libs/broker/src/index.ts'),
  '^@tlp/service-runtime$': path.join(root, 'libs/service-runtime/src/index.ts'),
  '^@tlp/testing$': path.join(root, 'libs/testing/src/index.ts'),
};

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
