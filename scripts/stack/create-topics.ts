/**
 * Creates every topic declared in @tlp/contracts, and its dead-letter topic, on the brokers in
 * TLP_KAFKA_BROKERS. Idempotent: an existing topic is left as it is, except that a partition count
 * below the declared one is raised (Kafka cannot lower it, so a higher count is only reported).
 *
 * Run: pnpm exec tsx --tsconfig tsconfig.base.json scripts/stack/create-topics.ts
 */
import { ALL_TOPICS, deadLetterTopicOf } from '@tlp/contracts';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';

interface WantedTopic {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

interface Outcome {
  readonly created: string[];
  readonly present: string[];
  readonly grown: string[];
}

function wantedTopics(): WantedTopic[] {
  return ALL_TOPICS.flatMap(({ name, partitions, retentionMs }) => [
    { name, partitions, retentionMs },
    { name: deadLetterTopicOf(name), partitions, retentionMs },
  ]);
}

function replicationFactor(): number {
  const raw = process.env.TLP_KAFKA_REPLICATION_FACTOR ?? '1';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`TLP_KAFKA_REPLICATION_FACTOR must be a positive integer, got "${raw}"`);
  }
  return value;
}

function toTopicConfig(topic: WantedTopic, factor: number): ITopicConfig {
  return {
    topic: topic.name,
    numPartitions: topic.partitions,
    replicationFactor: factor,
    configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
  };
}

async function partitionCounts(admin: Admin, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const { topics } = await admin.fetchTopicMetadata({ topics: names });
  return new Map(topics.map((t) => [t.name, t.partitions.length]));
}

async function growPartitions(admin: Admin, existing: WantedTopic[]): Promise<string[]> {
  const counts = await partitionCounts(
    admin,
    existing.map((t) => t.name),
  );
  const grown: string[] = [];
  for (const topic of existing) {
    const count = counts.get(topic.name) ?? 0;
    if (count > topic.partitions) {
      console.warn(
        `${topic.name}: has ${count} partitions, more than the ${topic.partitions} declared; left as is`,
      );
    } else if (count < topic.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: topic.name, count: topic.partitions }] });
      grown.push(`${topic.name} ${count}->${topic.partitions}`);
    }
  }
  return grown;
}

async function ensureTopics(admin: Admin, factor: number): Promise<Outcome> {
  const existingNames = new Set(await admin.listTopics());
  const wanted = wantedTopics();
  const missing = wanted.filter((t) => !existingNames.has(t.name));
  const existing = wanted.filter((t) => existingNames.has(t.name));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((t) => toTopicConfig(t, factor)), waitForLeaders: true });
  }
  const grown = await growPartitions(admin, existing);
  return { created: missing.map((t) => t.name), present: existing.map((t) => t.name), grown };
}

function summary(outcome: Outcome, brokers: string[]): string {
  const total = outcome.created.length + outcome.present.length;
  const parts = [
    `topics on ${brokers.join(',')}: ${total} declared (incl. dead-letter)`,
    `${outcome.created.length} created`,
    `${outcome.present.length} already present`,
    `${outcome.grown.length} given more partitions${outcome.grown.length > 0 ? ` (${outcome.grown.join(', ')})` : ''}`,
  ];
  return parts.join(', ');
}

async function main(): Promise<void> {
  const brokers = (process.env.TLP_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
  const factor = replicationFactor();
  const admin = new Kafka({ clientId: 'tlp-create-topics', brokers, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const outcome = await ensureTopics(admin, factor);
    console.log(summary(outcome, brokers));
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`create-topics: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
