/**
 * Publishes committed outbox rows to Kafka, then marks them published.
 *
 * Invariants:
 * - only rows whose transaction is older than every transaction still running are read
 *   (`tx_id < pg_snapshot_xmin(...)`), so a row committed late with a lower id is never overtaken;
 * - rows are published in `id` order through an idempotent producer with one request in flight, so
 *   events of one key keep their order;
 * - a row is marked only after the broker acknowledged it: a crash in between republishes it, and
 *   the consumers' inbox drops the duplicate;
 * - one relay per database is active at a time (session advisory lock); other replicas stand by.
 */
import { Client } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import { faultPoint } from './fault-points';
import type { MessagingMetrics } from './messaging.metrics';

export interface OutboxRelayOptions {
  readonly databaseUrl: string;
  readonly kafka: Kafka;
  readonly lockName: string;
  /** Prefix of every physical topic name (isolated test runs); the outbox stores the unprefixed name. */
  readonly topicPrefix?: string;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly metrics?: MessagingMetrics;
  readonly onError?: (error: unknown) => void;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

export class OutboxRelay {
  private client: Client | null = null;
  private producer: Producer | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private leader = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect();
    this.producer = null;
  }

  /** Publishes everything publishable now; returns how many rows were published. For tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published === 0) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.leader) await this.tryBecomeLeader();
        if (this.leader) {
          const published = await this.publishBatch();
          if (published > 0) continue;
          await this.observeBacklog();
        }
      } catch (error) {
        this.options.onError?.(error);
        await this.dropConnection();
      }
      await this.sleep(this.options.pollIntervalMs ?? 500);
    }
    await this.dropConnection();
  }

  private async tryBecomeLeader(): Promise<void> {
    const client = await this.connection();
    const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      this.options.lockName,
    ]);
    this.leader = res.rows[0]?.locked === true;
    if (this.leader) await client.query('LISTEN messaging_outbox');
  }

  private async publishBatch(): Promise<number> {
    const client = await this.connection();
    const { rows } = await client.query<OutboxRow>(
      `SELECT id::text, topic, message_key, payload, headers FROM messaging_outbox
       WHERE published_at IS NULL AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY id LIMIT $1`,
      [this.options.batchSize ?? 500],
    );
    if (rows.length === 0) return 0;
    faultPoint('outbox-relay:before-publish');
    const started = process.hrtime.bigint();
    await this.requireProducer().sendBatch({ topicMessages: groupByTopic(rows, this.options.topicPrefix ?? ''), acks: -1 });
    faultPoint('outbox-relay:after-publish');
    await client.query('UPDATE messaging_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    this.options.metrics?.recordPublished(rows.map((r) => r.topic), Number(process.hrtime.bigint() - started) / 1e9);
    return rows.length;
  }

  private async observeBacklog(): Promise<void> {
    if (!this.options.metrics) return;
    const client = await this.connection();
    const { rows } = await client.query<{ backlog: string; oldest: string | null }>(
      `SELECT count(*)::text AS backlog, extract(epoch FROM now() - min(created_at))::text AS oldest
       FROM messaging_outbox WHERE published_at IS NULL`,
    );
    this.options.metrics.setOutboxBacklog(Number(rows[0]?.backlog ?? 0), Number(rows[0]?.oldest ?? 0));
  }

  private requireProducer(): Producer {
    if (!this.producer) throw new Error('outbox relay is not started');
    return this.producer;
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay' });
    client.on('notification', () => this.wake?.());
    client.on('error', (error) => {
      this.options.onError?.(error);
      this.client = null;
      this.leader = false;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function groupByTopic(rows: readonly OutboxRow[], prefix: string) {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic: prefix + topic, messages }));
}
