import { createKafka, kafkaSecurityFromEnv, provisionTopics } from '@tlp/messaging';
import { createLogger, exitOnConfigError, loadConfig } from '@tlp/service-runtime';
import { z } from 'zod';
import { ExecutorConfigSchema } from './executor.config';

/**
 * `node provision-topics.js`: creates every declared topic and its dead-letter topic through the Kafka
 * admin API (idempotent; grows partitions, never shrinks), then exits. The Helm chart runs it as a
 * hook Job on clusters without Strimzi. Reads the executor's Kafka settings (brokers, topic prefix,
 * TLS/SASL) and the replication factor of new topics.
 */
const ProvisionConfigSchema = ExecutorConfigSchema.pick({
  EXECUTOR_KAFKA_BROKERS: true,
  EXECUTOR_KAFKA_TOPIC_PREFIX: true,
}).extend({
  /** Replicas of each partition of a topic created here (existing topics keep theirs). */
  EXECUTOR_KAFKA_TOPIC_REPLICATION_FACTOR: z
    .string()
    .regex(/^[1-9]\d*$/, 'expected a whole number of at least 1')
    .default('3')
    .transform(Number),
});

async function main(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(ProvisionConfigSchema));
  const logger = createLogger({ service: 'executor', level: 'info' });
  const kafka = createKafka({
    ...kafkaSecurityFromEnv('executor', process.env),
    brokers: config.EXECUTOR_KAFKA_BROKERS,
    clientId: 'executor-provision-topics',
  });
  const report = await provisionTopics(kafka, {
    prefix: config.EXECUTOR_KAFKA_TOPIC_PREFIX,
    replicationFactor: config.EXECUTOR_KAFKA_TOPIC_REPLICATION_FACTOR,
  });
  logger.info(report, 'topics provisioned');
}

main().catch((error: unknown) => {
  createLogger({ service: 'executor', level: 'info' }).fatal({ err: error }, 'topic provisioning failed');
  process.exit(1);
});
