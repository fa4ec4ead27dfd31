import { randomUUID } from 'node:crypto';
import { DecisionApprovedV1, type Decision, type Envelope } from '@tlp/contracts';
import { appEntry, createTestDatabase, freePort, isolatedTopics, ServiceProcess, testKafka, type TestDatabase } from '@tlp/testing';
import { provisionTopics } from '@tlp/messaging';
import type { Kafka, Producer } from 'kafkajs';

export const SERVICES = ['executor', 'order-monitor', 'position-monitor', 'data-quality'] as const;
export type ServiceName = (typeof SERVICES)[number];

const PREFIX: Record<ServiceName, string> = {
  executor: 'EXECUTOR',
  'order-monitor': 'ORDER_MONITOR',
  'position-monitor': 'POSITION_MONITOR',
  'data-quality': 'DATA_QUALITY',
};

/** The fields of the paper broker's (Alpaca) order JSON the suites look at. */
export interface BrokerOrderView {
  id: string;
  client_order_id: string;
  status: string;
  qty: string;
  symbol?: string;
  limit_price: string | null;
  replaces: string | null;
  replaced_by: string | null;
  side?: string;
  type?: string;
  stop_price?: string | null;
  filled_qty?: string;
  filled_avg_price?: string | null;
  /** `''` or `oco`; an OCO's take-profit (the parent) lists its stop-loss leg in `legs`. */
  order_class?: string;
  legs?: BrokerOrderView[] | null;
}

export const PAPER_PRICES = { AAPL: '187.50', MSFT: '410.25', SPY: '500.05' } as const;

/** Per-suite additions to the environment the platform starts with. */
export interface PlatformOptions {
  /** Over the paper broker's defaults, e.g. `PAPER_BROKER_CALENDAR`. */
  brokerEnv?: Record<string, string>;
  /** Over each service's defaults, e.g. `EXECUTOR_EXECUTION_MODE`. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}

/**
 * The whole platform for one test suite, for real: the four services and the paper broker as OS
 * processes built from this checkout, on the stack's Kafka (topics under a fresh prefix) and
 * PostgreSQL (a fresh database per service).
 */
export class Platform {
  readonly kafka: Kafka;
  private producer: Producer | null = null;

  private constructor(
    readonly topicPrefix: string,
    readonly databases: Record<ServiceName, TestDatabase>,
    readonly broker: ServiceProcess,
    readonly brokerUrl: string,
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly httpUrls: Record<ServiceName, string>,
    kafka: Kafka,
  ) {
    this.kafka = kafka;
  }

  static async start(options: PlatformOptions = {}): Promise<Platform> {
    const kafka = testKafka();
    const topicPrefix = await withRetries(() => isolatedTopics(kafka, provisionTopics));
    const databases = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await createTestDatabase(`e2e_${s.replace('-', '_')}`)] as const)),
    ) as Record<ServiceName, TestDatabase>;
    const brokerPort = await freePort();
    const brokerUrl = `http://127.0.0.1:${brokerPort}`;
    const broker = new ServiceProcess(
      'paper-broker',
      appEntry('paper-broker'),
      {
        PAPER_BROKER_PORT: String(brokerPort),
        PAPER_BROKER_PRICES: Object.entries(PAPER_PRICES).map(([s, p]) => `${s}:${p}`).join(','),
        PAPER_BROKER_TICK_MS: '0',
        PAPER_BROKER_LATENCY_MS: '5',
        PAPER_BROKER_MARKET_HOURS: 'always',
        ...options.brokerEnv,
      },
      `${brokerUrl}/_admin/stats`,
    );
    await broker.start();
    const services = {} as Record<ServiceName, ServiceProcess>;
    const httpUrls = {} as Record<ServiceName, string>;
    for (const service of SERVICES) {
      const port = await freePort();
      httpUrls[service] = `http://127.0.0.1:${port}`;
      const env = { ...serviceEnv(service, port, databases[service].url, topicPrefix, brokerUrl), ...options.env?.[service] };
      services[service] = new ServiceProcess(service, appEntry(service), env, `${httpUrls[service]}/health/ready`);
    }
    await Promise.all(SERVICES.map((s) => services[s].start()));
    return new Platform(topicPrefix, databases, broker, brokerUrl, services, httpUrls, kafka);
  }

  topic(name: string): string {
    return this.topicPrefix + name;
  }

  async publish(topic: string, key: string, value: string): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer();
      await this.producer.connect();
    }
    await this.producer.send({ topic: this.topic(topic), acks: -1, messages: [{ key, value }] });
  }

  async publishDecision(decision: Decision, eventId: string = randomUUID()): Promise<Envelope> {
    const event = DecisionApprovedV1.schema.parse({
      eventId,
      type: 'decision.approved',
      version: 1,
      occurredAt: new Date().toISOString(),
      producer: 'e2e-test',
      correlationId: randomUUID(),
      causationId: null,
      payload: decision,
    });
    await this.publish('decision.approved', decision.accountId, JSON.stringify(event));
    return event;
  }

  /** The value of one metric series in a service's `/metrics`, or null when absent. */
  async metric(service: ServiceName, name: string): Promise<number | null> {
    const text = await (await fetch(`${this.httpUrls[service]}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  async brokerOrders(): Promise<BrokerOrderView[]> {
    const res = await fetch(`${this.brokerUrl}/v2/orders?status=all&limit=500`, {
      headers: { 'APCA-API-KEY-ID': 'paper-key', 'APCA-API-SECRET-KEY': 'paper-secret' },
    });
    return (await res.json()) as BrokerOrderView[];
  }

  /** Arms paper-broker faults (see apps/paper-broker/README.md); `clearFaults` disarms them. */
  async armFaults(rules: readonly Record<string, unknown>[]): Promise<void> {
    const res = await fetch(`${this.brokerUrl}/_admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    if (!res.ok) throw new Error(`arming faults failed: ${res.status} ${await res.text()}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.brokerUrl}/_admin/faults`, { method: 'DELETE' });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await Promise.all(SERVICES.map((s) => this.services[s].kill('SIGTERM')));
    await this.broker.kill('SIGTERM');
    await Promise.all(SERVICES.map((s) => this.databases[s].drop()));
    await this.deleteTopics();
  }

  /** The suite's own topics go with it: thousands of left-over partitions exhaust a small test broker's heap. */
  private async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    } catch (error) {
      process.stderr.write(`could not delete the topics of ${this.topicPrefix}: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      await admin.disconnect();
    }
  }
}

/** A shared Kafka busy with other suites' topics may answer a fresh topic's metadata with UNKNOWN_TOPIC_OR_PARTITION for a moment. */
async function withRetries<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable !== true) throw error;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

function serviceEnv(service: ServiceName, port: number, databaseUrl: string, topicPrefix: string, brokerUrl: string): Record<string, string> {
  const p = PREFIX[service];
  return {
    NODE_ENV: 'test',
    [`${p}_HTTP_PORT`]: String(port),
    [`${p}_LOG_LEVEL`]: 'warn',
    [`${p}_DATABASE_URL`]: databaseUrl,
    [`${p}_KAFKA_BROKERS`]: process.env['TLP_KAFKA_BROKERS'] ?? '',
    [`${p}_KAFKA_TOPIC_PREFIX`]: topicPrefix,
    [`${p}_BROKER_BASE_URL`]: brokerUrl,
    [`${p}_BROKER_DATA_URL`]: brokerUrl,
    [`${p}_BROKER_STREAM_URL`]: `${brokerUrl.replace('http', 'ws')}/stream`,
    [`${p}_BROKER_KEY_ID`]: 'paper-key',
    [`${p}_BROKER_SECRET_KEY`]: 'paper-secret',
    DATA_QUALITY_UNLINKED_GRACE: '0s',
    EXECUTOR_RECOVERY_GRACE: '2s',
    // Short, so a broker that hangs after accepting an order is detected quickly in the fault suites.
    EXECUTOR_BROKER_TIMEOUT: '3s',
    EXECUTOR_EXECUTION_MODE: 'IMMEDIATE',
    // The suites trade the same few symbols over and over; the rule itself is tested in the risk suite.
    EXECUTOR_RISK_ONE_ACTIVE_TRADE_PER_SYMBOL: 'false',
  };
}
