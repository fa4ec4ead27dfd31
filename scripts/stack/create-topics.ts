/**
 * Creates every topic declared in @tlp/contracts, and its dead-letter topic, on the brokers in
 * TLP_KAFKA_BROKERS, through the same `provisionTopics` the tests use. Idempotent: existing topics are
 * kept, and grown when they have fewer partitions than declared.
 *
 * Run: pnpm exec tsx --tsconfig tsconfig.base.json scripts/stack/create-topics.ts
 */
import { createKafka, provisionTopics } from '@tlp/messaging';

async function main(): Promise<void> {
  const brokers = (process.env.TLP_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim());
  const replicationFactor = Number(process.env.TLP_KAFKA_REPLICATION_FACTOR ?? '1');
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new Error(`TLP_KAFKA_REPLICATION_FACTOR must be a positive integer, got "${process.env.TLP_KAFKA_REPLICATION_FACTOR}"`);
  }
  const report = await provisionTopics(createKafka({ brokers, clientId: 'tlp-stack' }), { replicationFactor });
  console.log(
    `topics on ${brokers.join(',')}: ${report.created.length} created, ${report.existing.length} already present` +
      (report.grown.length > 0 ? `, partitions raised on ${report.grown.join(', ')}` : ''),
  );
}

main().catch((error: unknown) => {
  console.error(`topic creation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
