import { Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { METRICS_REGISTRY, ReadinessRegistry } from '@tlp/service-runtime';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { ConsumerLagMonitor } from './consumer-lag.monitor';
import { createKafka, type KafkaConnectionOptions } from './kafka-connection';
import { kafkaSecurityFromEnv } from './kafka-security';
import { KafkaEventTransport } from './kafka-event.transport';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelay } from './outbox-relay';

export interface MessagingModuleOptions {
  /** Service name: producer of its events, consumer group and inbox consumer name. */
  readonly service: string;
  readonly kafka: Omit<KafkaConnectionOptions, 'clientId'>;
  /** The service's own database, where its outbox lives. */
  readonly databaseUrl: string;
  /** Prefix of every physical topic name; empty in production. */
  readonly topicPrefix?: string;
  readonly relayPollIntervalMs?: number;
  /** How often the group's lag is read from the broker (`tlp_kafka_consumer_group_lag`); default 30 s, 0 turns it off. */
  readonly lagPollIntervalMs?: number;
}

export const KAFKA = Symbol('KAFKA');
const OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Starts the outbox relay with the app, reports Kafka readiness, and stops both in order on shutdown. */
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly transport: KafkaEventTransport,
    private readonly readiness: ReadinessRegistry,
    private readonly lag: ConsumerLagMonitor | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('kafka-consumer', () =>
      Promise.resolve(
        this.transport.subscribedTopics().length === 0 || this.transport.isReady()
          ? true
          : { ok: false, detail: 'consumer has not joined its group' },
      ),
    );
    await this.relay.start();
    this.lag?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag?.stop();
    await this.relay.stop();
    this.logger.log('outbox relay stopped');
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const fatal = (logger: Logger) => (error: unknown) => {
      logger.error(`consumer stopped: ${error instanceof Error ? error.message : String(error)}; shutting down`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    };
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka({ ...kafkaSecurityFromEnv(options.service, process.env), ...options.kafka, clientId: options.service }),
        },
        { provide: MessagingMetrics, useFactory: (registry: Registry) => new MessagingMetrics(registry), inject: [METRICS_REGISTRY] },
        {
          provide: KafkaEventTransport,
          useFactory: (kafka: Kafka, metrics: MessagingMetrics) =>
            new KafkaEventTransport({
              kafka,
              groupId: options.service,
              metrics,
              onFatal: fatal(new Logger('KafkaEventTransport')),
              ...(options.topicPrefix !== undefined && { topicPrefix: options.topicPrefix }),
            }),
          inject: [KAFKA, MessagingMetrics],
        },
        {
          provide: OutboxRelay,
          useFactory: (kafka: Kafka, metrics: MessagingMetrics) => {
            const logger = new Logger('OutboxRelay');
            return new OutboxRelay({
              databaseUrl: options.databaseUrl,
              kafka,
              lockName: `${options.service}-outbox-relay`,
              metrics,
              pollIntervalMs: options.relayPollIntervalMs ?? 500,
              onError: (error) => logger.warn(`relay error, retrying: ${error instanceof Error ? error.message : String(error)}`),
              ...(options.topicPrefix !== undefined && { topicPrefix: options.topicPrefix }),
            });
          },
          inject: [KAFKA, MessagingMetrics],
        },
        {
          provide: MessagingLifecycle,
          useFactory: (relay: OutboxRelay, transport: KafkaEventTransport, readiness: ReadinessRegistry, kafka: Kafka, registry: Registry) => {
            const intervalMs = options.lagPollIntervalMs ?? 30_000;
            const logger = new Logger('ConsumerLagMonitor');
            const lag =
              intervalMs > 0
                ? new ConsumerLagMonitor({
                    kafka,
                    registry,
                    groupId: options.service,
                    topics: () => transport.subscribedTopics(),
                    intervalMs,
                    onError: (error) => logger.warn(`lag poll failed: ${error instanceof Error ? error.message : String(error)}`),
                    ...(options.topicPrefix !== undefined && { topicPrefix: options.topicPrefix }),
                  })
                : null;
            return new MessagingLifecycle(relay, transport, readiness, lag);
          },
          inject: [OutboxRelay, KafkaEventTransport, ReadinessRegistry, KAFKA, METRICS_REGISTRY],
        },
      ],
      exports: [KAFKA, MessagingMetrics, KafkaEventTransport, OutboxRelay],
    };
  }
}
