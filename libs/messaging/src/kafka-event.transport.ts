/**
 * A NestJS microservice transport over KafkaJS: handlers are `@OnEvent(contract)` methods; this class
 * owns subscription, parsing, retries, dead-lettering and offset commits.
 *
 * Invariants: a record's offset is resolved only after its handler succeeded or the record went to the
 * dead-letter topic; records of one partition are processed one at a time, in order; a retriable
 * failure never commits the offset, and when its retries run out the consumer stops (`onFatal`).
 */
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { runWithCorrelation } from '@tlp/service-runtime';
import { ALL_TOPICS, DEAD_LETTER_HEADERS as DLQ, deadLetterTopicOf, parseEvent, type Envelope } from '@tlp/contracts';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { ConsumerStalledError, isRetriable } from './errors';
import { faultPoint } from './fault-points';
import { KafkaEventContext } from './kafka-event.context';
import type { MessagingMetrics } from './messaging.metrics';

export interface KafkaEventTransportOptions {
  readonly kafka: Kafka;
  /** Consumer group id; also the consumer name in the inbox. */
  readonly groupId: string;
  /** Prefix of every physical topic name (isolated test runs); contracts use the unprefixed name. */
  readonly topicPrefix?: string;
  readonly metrics?: MessagingMetrics;
  /** Attempts for a non-retriable handler error before the record is dead-lettered. */
  readonly maxHandlerAttempts?: number;
  /** Attempts for a retriable error before the consumer gives up and calls `onFatal`. */
  readonly maxRetriableAttempts?: number;
  readonly retryBackoffMs?: { readonly initial: number; readonly max: number };
  readonly partitionsConsumedConcurrently?: number;
  /** Called once when the consumer cannot go on; the app should shut down and exit non-zero. */
  readonly onFatal?: (error: unknown) => void;
}

type HandlerOutcome = { kind: 'processed' } | { kind: 'dead-letter'; reason: string };

export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer: Consumer | null = null;
  private deadLetterProducer: Producer | null = null;
  private joined = false;
  private stopping = false;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
  }

  /** True once the consumer joined its group, until it stops or crashes. For readiness probes. */
  isReady(): boolean {
    return this.joined && !this.stopping;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.deadLetterProducer?.disconnect();
    this.consumer = null;
    this.deadLetterProducer = null;
  }

  on(): never {
    throw new Error('KafkaEventTransport does not support event listeners; use the options callbacks');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** Topics carrying at least one contract a registered handler handles. */
  subscribedTopics(): string[] {
    const types = new Set(this.messageHandlers.keys());
    return ALL_TOPICS.filter((t) => t.contracts.some((c) => types.has(c.type))).map((t) => t.name);
  }

  private async start(): Promise<void> {
    for (const topic of this.subscribedTopics()) this.options.metrics?.declareTopic(topic);
    const topics = this.subscribedTopics().map((t) => this.prefix + t);
    this.deadLetterProducer = this.options.kafka.producer({ allowAutoTopicCreation: false });
    await this.deadLetterProducer.connect();
    // The topic prefix isolates a run's consumer groups as it isolates its topics: a group shared
    // between runs with different subscriptions gets partitions assigned to members that ignore them.
    const consumer = this.options.kafka.consumer({ groupId: this.prefix + this.options.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.options.metrics?.recordGroupJoin();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.options.metrics?.recordConsumerCrash(e.payload.restart);
      if (!e.payload.restart && !this.stopping) this.options.onFatal?.(e.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      autoCommitThreshold: 100,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.processBatch(payload),
    });
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      await this.processRecord(batch.topic, batch.partition, message);
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
    await payload.commitOffsetsIfNecessary();
  }

  private get prefix(): string {
    return this.options.topicPrefix ?? '';
  }

  private async processRecord(physicalTopic: string, partition: number, message: KafkaMessage): Promise<void> {
    const topic = physicalTopic.slice(this.prefix.length);
    const parsed = parseEvent(topic, message.value);
    if (!parsed.ok) {
      await this.deadLetter(topic, partition, message, parsed.reason);
      return;
    }
    const outcome = await this.handleWithRetries(topic, partition, message, parsed.event);
    if (outcome.kind === 'dead-letter') await this.deadLetter(topic, partition, message, outcome.reason);
    else this.options.metrics?.recordConsumed(topic, 'processed');
  }

  private async handleWithRetries(topic: string, partition: number, message: KafkaMessage, event: Envelope): Promise<HandlerOutcome> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return { kind: 'dead-letter', reason: `NO_HANDLER: ${this.options.groupId} has no handler for ${event.type}` };
    const key = message.key?.toString() ?? null;
    const context = new KafkaEventContext([topic, partition, message.offset, key, this.options.groupId, event]);
    const maxAttempts = this.options.maxHandlerAttempts ?? 3;
    const maxRetriable = this.options.maxRetriableAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        await runWithCorrelation({ correlationId: event.correlationId, causationId: event.eventId }, async () => {
          const result: unknown = await handler(event, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        });
        this.options.metrics?.observeHandler(event.type, 'processed', secondsSince(started));
        faultPoint('consumer:after-handler');
        return { kind: 'processed' };
      } catch (error) {
        const retriable = isRetriable(error);
        this.options.metrics?.observeHandler(event.type, retriable ? 'retried' : 'failed', secondsSince(started));
        this.logger.warn?.(`${event.type} ${event.eventId} attempt ${attempt} failed (${retriable ? 'retriable' : 'handler'}): ${describe(error)}`);
        if (!retriable && attempt >= maxAttempts) return { kind: 'dead-letter', reason: `HANDLER_FAILED: ${describe(error)}` };
        if (retriable && attempt >= maxRetriable) {
          throw new ConsumerStalledError(`${event.type} ${event.eventId}: retries exhausted: ${describe(error)}`);
        }
        this.options.metrics?.recordConsumed(topic, 'retried');
        await sleep(this.backoff(attempt));
      }
    }
  }

  private backoff(attempt: number): number {
    const { initial, max } = this.options.retryBackoffMs ?? { initial: 100, max: 5000 };
    return Math.min(max, initial * 2 ** (attempt - 1));
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const producer = this.deadLetterProducer;
    if (!producer) throw new Error('transport not started');
    const headers: IHeaders = {
      ...message.headers,
      [DLQ.reason.name]: reason.slice(0, 2000),
      [DLQ.sourceTopic.name]: topic,
      [DLQ.sourcePartition.name]: String(partition),
      [DLQ.sourceOffset.name]: message.offset,
      [DLQ.consumer.name]: this.options.groupId,
      [DLQ.failedAt.name]: new Date().toISOString(),
    };
    await producer.send({
      topic: this.prefix + deadLetterTopicOf(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.logger.warn?.(`dead-lettered ${topic}/${partition}@${message.offset}: ${reason}`);
    this.options.metrics?.recordConsumed(topic, 'dead_lettered');
    this.options.metrics?.recordDeadLetter(topic, reason.split(':')[0] ?? 'UNKNOWN');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
