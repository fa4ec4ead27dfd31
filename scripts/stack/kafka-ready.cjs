// Exits 0 when the brokers in TLP_KAFKA_BROKERS answer a metadata request, 1 otherwise.
// Used by scripts/stack.sh as the Kafka health check; quiet unless TLP_STACK_VERBOSE is set.
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.env.TLP_KAFKA_BROKERS || '127.0.0.1:19092').split(',');
const admin = new Kafka({
  clientId: 'tlp-stack-probe',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
}).admin();

admin
  .connect()
  .then(() => admin.listTopics())
  .then(() => admin.disconnect())
  .then(() => process.exit(0))
  .catch((error) => {
    if (process.env.TLP_STACK_VERBOSE) console.error(`kafka probe: ${error.message}`);
    process.exit(1);
  });
