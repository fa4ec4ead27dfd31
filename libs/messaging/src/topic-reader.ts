import { randomUUID } from 'node:crypto';
import { createKafka, type KafkaConnectionOptions } from './kafka-connection';
import { fetchTopicOffsetsRetrying } from './topic-offsets';

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
}

/**
 * Reads a topic from the beginning of its retention up to the end it had when the call started,
 * partition by partition in offset order (tools such as a rebuild from the log). Uses a throw-away
 * consumer group that commits nothing and is deleted afterwards. Resolves with the record count.
 */
export async function readTopicToEnd(
  options: KafkaConnectionOptions & { readonly topic: string },
  onRecord: (record: TopicRecord) => Promise<void>,
): Promise<number> {
  const kafka = createKafka(options);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.clientId}-read-${randomUUID()}`;
  try {
    const offsets = await fetchTopicOffsetsRetrying(admin, options.topic);
    const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    if (remaining.size === 0) return 0;
    let count = 0;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = remaining.get(partition);
              if (end === undefined || BigInt(message.offset) >= end) return;
              await onRecord({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
              count += 1;
              if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      });
    } finally {
      await consumer.disconnect();
    }
    return count;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
