import { handlerMetrics, type HandlerMetrics } from '@tlp/service-runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Metrics of the messaging layer, named by Prometheus conventions; labels are bounded (topics, handlers, outcomes). */
export class MessagingMetrics {
  private readonly consumed: Counter<'topic' | 'outcome'>;
  private readonly handlers: HandlerMetrics;
  private readonly deadLettered: Counter<'topic' | 'reason'>;
  private readonly published: Counter<'topic'>;
  private readonly publishDuration: Histogram;
  private readonly backlog: Gauge;
  private readonly oldestAge: Gauge;
  private readonly crashes: Counter<'restart'>;
  private readonly joins: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.consumed = new Counter({
      name: 'tlp_messages_consumed_total',
      help: 'Kafka records consumed, by topic and outcome (processed, dead_lettered, retried).',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.handlers = handlerMetrics(registry);
    this.deadLettered = new Counter({
      name: 'tlp_dead_letters_total',
      help: 'Records sent to a dead-letter topic, by source topic and reason code.',
      labelNames: ['topic', 'reason'],
      registers,
    });
    this.published = new Counter({
      name: 'tlp_outbox_published_total',
      help: 'Outbox events published to Kafka, by topic.',
      labelNames: ['topic'],
      registers,
    });
    this.publishDuration = new Histogram({
      name: 'tlp_outbox_publish_duration_seconds',
      help: 'Time to publish one outbox batch and have it acknowledged.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.backlog = new Gauge({
      name: 'tlp_outbox_backlog_events',
      help: 'Outbox events committed but not yet published.',
      registers,
    });
    this.oldestAge = new Gauge({
      name: 'tlp_outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none).',
      registers,
    });
    this.crashes = new Counter({
      name: 'tlp_kafka_consumer_crashes_total',
      help: 'KafkaJS consumer crashes, by whether it restarts by itself (restart="false": it stopped for good).',
      labelNames: ['restart'],
      registers,
    });
    for (const restart of ['true', 'false']) this.crashes.inc({ restart }, 0);
    this.joins = new Counter({ name: 'tlp_kafka_consumer_group_joins_total', help: 'Times the consumer joined its group (start and every rebalance).', registers });
  }

  recordConsumerCrash(restart: boolean): void {
    this.crashes.inc({ restart: String(restart) });
  }

  recordGroupJoin(): void {
    this.joins.inc();
  }

  /** Makes the topic's consumed counters exist at 0, so the first dead letter shows in `increase()`. */
  declareTopic(topic: string): void {
    for (const outcome of ['processed', 'dead_lettered', 'retried']) this.consumed.inc({ topic, outcome }, 0);
  }

  recordConsumed(topic: string, outcome: 'processed' | 'dead_lettered' | 'retried'): void {
    this.consumed.inc({ topic, outcome });
  }

  /** One handler attempt: `tlp_handler_messages_total{handler,outcome}` and `tlp_handler_duration_seconds{handler}`. */
  observeHandler(handler: string, outcome: 'processed' | 'retried' | 'failed', seconds: number): void {
    this.handlers.record(handler, outcome, seconds);
  }

  recordDeadLetter(topic: string, reason: string): void {
    this.deadLettered.inc({ topic, reason });
  }

  recordPublished(topics: readonly string[], seconds: number): void {
    for (const topic of topics) this.published.inc({ topic });
    this.publishDuration.observe(seconds);
  }

  setOutboxBacklog(events: number, oldestAgeSeconds: number): void {
    this.backlog.set(events);
    this.oldestAge.set(events === 0 ? 0 : oldestAgeSeconds);
  }
}
