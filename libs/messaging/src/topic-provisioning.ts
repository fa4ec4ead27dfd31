import { ALL_TOPICS, deadLetterTopicOf } from '@tlp/contracts';
import type { Admin, Kafka } from 'kafkajs';

export interface ProvisionOptions {
  /** Prepended to every topic name, e.g. `it-1a2b.` for an isolated test run; empty in production. */
  readonly prefix?: string;
  readonly replicationFactor?: number;
}

export interface ProvisionReport {
  readonly created: string[];
  readonly existing: string[];
  readonly grown: string[];
}

/**
 * Creates every declared topic and its dead-letter topic with the declared partitions and retention.
 * Idempotent: existing topics are kept, and grown when they have fewer partitions than declared.
 */
export async function provisionTopics(kafka: Kafka, options: ProvisionOptions = {}): Promise<ProvisionReport> {
  const prefix = options.prefix ?? '';
  const wanted = ALL_TOPICS.flatMap((t) => [
    { name: prefix + t.name, partitions: t.partitions, retentionMs: t.retentionMs },
    { name: prefix + deadLetterTopicOf(t.name), partitions: t.partitions, retentionMs: t.retentionMs },
  ]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: options.replicationFactor ?? 1,
          configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
        })),
      });
    }
    if (missing.length > 0) await waitForLeaders(admin, missing);
    const present = wanted.filter((t) => existing.has(t.name));
    const grown: string[] = [];
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
      const toGrow = present.filter((t) => {
        const found = metadata.topics.find((m) => m.name === t.name);
        return found !== undefined && found.partitions.length < t.partitions;
      });
      if (toGrow.length > 0) {
        await admin.createPartitions({ topicPartitions: toGrow.map((t) => ({ topic: t.name, count: t.partitions })) });
        grown.push(...toGrow.map((t) => t.name));
      }
    }
    return { created: missing.map((t) => t.name), existing: present.map((t) => t.name), grown };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of `topics` has a leader. kafkajs' own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment after
 * a create, which would fail a provisioning that in fact succeeded.
 */
async function waitForLeaders(admin: Admin, topics: readonly { name: string; partitions: number }[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
      const ready = topics.every((t) => {
        const found = metadata.topics.find((m) => m.name === t.name);
        return found !== undefined && found.partitions.length >= t.partitions && found.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics have no leaders after ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
