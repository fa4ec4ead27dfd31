import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { requireEnv } from './pg';

export interface ReceivedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
  readonly json: unknown;
}

export function testKafka(): Kafka {
  return new Kafka({
    clientId: `test-${randomUUID().slice(0, 8)}`,
    brokers: requireEnv('TLP_KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Records every message published to `topics` after `start()` resolves (a fresh consumer group that
 * starts at the end of each partition), so a test can wait for the events its actions cause.
 */
export class TopicRecorder {
  readonly records: ReceivedRecord[] = [];
  private consumer: Consumer | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly kafka: Kafka, private readonly topics: readonly string[]) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `test-recorder-${randomUUID()}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    const ends = await this.logEnds();
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const value = message.value?.toString() ?? null;
        this.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value,
          headers: stringHeaders(message.headers),
          json: safeJson(value),
        });
        for (const wake of this.waiters) wake();
        return Promise.resolve();
      },
    });
    for (const { topic, partition, offset } of ends) consumer.seek({ topic, partition, offset });
    await joined;
  }

  /** Waits until `count` records match, or fails after `timeoutMs` listing what did arrive. */
  async waitFor(predicate: (r: ReceivedRecord) => boolean, count = 1, timeoutMs = 30000): Promise<ReceivedRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.records.filter(predicate);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`waited ${timeoutMs} ms for ${count} matching records, got ${matching.length}; all: ${this.records.map((r) => `${r.topic}@${r.offset}`).join(', ')}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 250));
        this.waiters.add(wake);
      });
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** The current end of every partition: the recorder sees only what is published after it started. */
  private async logEnds(): Promise<{ topic: string; partition: number; offset: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = [];
      for (const topic of this.topics) {
        for (const p of await offsetsOf(admin, topic)) ends.push({ topic, partition: p.partition, offset: p.high });
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }
}

/** A topic created a moment ago may not have its partition leaders yet: retry while Kafka says so. */
async function offsetsOf(admin: ReturnType<Kafka['admin']>, topic: string): Promise<{ partition: number; high: string }[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= 40 || (error as { retriable?: boolean }).retriable !== true) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function produce(producer: Producer, topic: string, key: string, value: string, headers: IHeaders = {}): Promise<void> {
  await producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
}

export function byEventId(eventId: string): (r: ReceivedRecord) => boolean {
  return (r) => (r.json as { eventId?: string } | null)?.eventId === eventId;
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v.toString();
  return out;
}

function safeJson(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}
