// Loads the local stack's addresses (.stack/stack.env, written by `pnpm stack up`) into process.env
// for integration and end-to-end tests. Variables already set in the environment win, so the same
// suites run against existing Kafka and PostgreSQL servers.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '../../.stack/stack.env');
if (fs.existsSync(file)) {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, raw] = match;
    if (process.env[name] === undefined) process.env[name] = raw.replace(/^['"]|['"]$/g, '');
  }
}
// Suites that need a database URL of their own derive it from the stack's superuser URL.
process.env.TLP_TEST_PG_URL ??= process.env.TLP_PG_ADMIN_URL;
for (const name of ['TLP_KAFKA_BROKERS', 'TLP_PG_ADMIN_URL']) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: start the local stack with \`pnpm stack up\` or point ${name} at a server`);
  }
}
