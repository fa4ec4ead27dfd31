import { jobMetrics, type JobMetrics } from '@tlp/service-runtime';
import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import { applyLagReading, calculatePartitionLags, type TopicProgress } from './consumer-lag';
import { fetchTopicOffsetsRetrying } from './topic-offsets';

export interface ConsumerLagMonitorOptions {
  readonly kafka: Kafka;
  readonly registry: Registry;
  /** The service's consumer group. */
  readonly groupId: string;
  /** Logical topic names the group consumes; labels carry these, never the prefixed names. */
  readonly topics: () => readonly string[];
  readonly topicPrefix?: string;
  /** Default 30 s. */
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export const CONSUMER_LAG_JOB = 'consumer_lag_poll';

/**
 * Polls the cluster's admin API for the group's committed offsets and each topic's high-water marks
 * and exports `tlp_kafka_consumer_group_lag{group,topic,partition}` and
 * `tlp_kafka_consumer_group_last_progress_timestamp_seconds{group,topic}`. Reads only, so every
 * replica may run it; a failed poll leaves the last values and counts as a failed job run.
 */
export class ConsumerLagMonitor {
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly progressAt: Gauge<'group' | 'topic'>;
  private readonly jobs: JobMetrics;
  private readonly progress = new Map<string, TopicProgress>();
  private admin: Admin | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: ConsumerLagMonitorOptions) {
    const registers = [options.registry];
    this.lag = new Gauge({
      name: 'tlp_kafka_consumer_group_lag',
      help: "Records not yet consumed: a partition's high-water mark minus the group's committed offset, read from the broker.",
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
    });
    this.progressAt = new Gauge({
      name: 'tlp_kafka_consumer_group_last_progress_timestamp_seconds',
      help: "Unix time the group's committed offsets on a topic last advanced, or it last had nothing to read.",
      labelNames: ['group', 'topic'] as const,
      registers,
    });
    this.jobs = jobMetrics(options.registry);
    this.jobs.declare(CONSUMER_LAG_JOB);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
    void this.poll();
  }

  /** Stops polling; a reading in flight gets 2 s (a broker that is down must not hold up shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timeout = setTimeout(resolve, 2_000)))]);
    clearTimeout(timeout);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  /** One reading of every topic; concurrent calls share the reading in flight. */
  poll(): Promise<void> {
    this.running ??= this.jobs
      .track(CONSUMER_LAG_JOB, () => this.read())
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async read(): Promise<void> {
    const topics = this.options.topics();
    if (topics.length === 0) return;
    const prefix = this.options.topicPrefix ?? '';
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const commits = await admin.fetchOffsets({ groupId: prefix + this.options.groupId, topics: topics.map((t) => prefix + t) });
    const nowSeconds = (this.options.now?.() ?? Date.now()) / 1000;
    for (const topic of topics) {
      const offsets = await fetchTopicOffsetsRetrying(admin, prefix + topic, { attempts: 3 });
      const committed = commits.find((c) => c.topic === prefix + topic)?.partitions ?? [];
      const lags = calculatePartitionLags(offsets, committed);
      const group = this.options.groupId;
      for (const { partition, lag } of lags) this.lag.set({ group, topic, partition: String(partition) }, Number(lag));
      const next = applyLagReading(this.progress.get(topic), lags, nowSeconds);
      this.progress.set(topic, next);
      this.progressAt.set({ group, topic }, next.lastProgressAt);
    }
  }
}
