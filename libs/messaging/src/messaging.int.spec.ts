import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { DecisionApprovedV1, OrderRejectedV1 } from '@tlp/contracts';
import type { INestMicroservice } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { deterministicId } from '@tlp/service-runtime';
import { byEventId, createTestDatabase, isolatedTopics, produce, testKafka, TopicRecorder, type TestDatabase } from '@tlp/testing';
import { buildEvent } from './event-builder';
import { claimInbox } from './inbox';
import { KafkaEventContext } from './kafka-event.context';
import { KafkaEventTransport } from './kafka-event.transport';
import { messagingSchemaSql } from './messaging-schema';
import { MessagingMetrics } from './messaging.metrics';
import { OnEvent } from './on-event.decorator';
import { appendToOutbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { sqlOf } from './sql-executor';
import { provisionTopics } from './topic-provisioning';

const ORM = Symbol('orm');
const failOn = new Set<string>();

/** Applies each decision once: records it, and answers with an order.rejected event through the outbox. */
@Controller()
class DecisionsTestHandler {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  @OnEvent(DecisionApprovedV1)
  async onDecision(@Payload() event: DecisionApprovedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    if (failOn.has(event.eventId)) throw new Error('handler refuses this event');
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, ctx.inboxEntry())) === 'ALREADY_PROCESSED') return;
      await sql.query('INSERT INTO applied (event_id) VALUES (?)', [event.eventId]);
      await appendToOutbox(sql, [rejectionFor(event)]);
    });
  }
}

function decision(accountId = 'acc-it') {
  const eventId = randomUUID();
  return buildEvent(
    DecisionApprovedV1,
    {
      action: 'NEW_TRADE',
      decisionId: randomUUID(),
      tradeId: randomUUID(),
      accountId,
      ownerId: 'user-it',
      approvedAt: new Date().toISOString(),
      instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
      side: 'BUY',
      quantity: '10',
      orderType: 'MARKET',
      timeInForce: 'DAY',
      tradeStyle: 'DAY',
    },
    { eventId, occurredAt: new Date(), producer: 'test', correlationId: randomUUID(), causationId: null },
  );
}

const rejectionIdOf = (eventId: string) => deterministicId('test.rejected', eventId);

function rejectionFor(event: DecisionApprovedV1) {
  const p = event.payload as Extract<DecisionApprovedV1['payload'], { action: 'NEW_TRADE' }>;
  return buildEvent(
    OrderRejectedV1,
    {
      orderId: deterministicId('test.order', p.decisionId),
      clientOrderId: 'it-client-1',
      brokerOrderId: null,
      broker: 'paper',
      decisionId: p.decisionId,
      tradeId: p.tradeId,
      legNumber: null,
      purpose: 'ENTRY',
      accountId: p.accountId,
      ownerId: p.ownerId,
      instrument: p.instrument,
      side: p.side,
      quantity: p.quantity,
      orderType: p.orderType,
      limitPrice: null,
      stopPrice: null,
      timeInForce: p.timeInForce,
      reasonCode: 'TEST_DENIAL',
      reasonMessage: 'integration test',
      rejectedBy: 'RISK',
      rejectedAt: new Date().toISOString(),
    },
    { eventId: rejectionIdOf(event.eventId), occurredAt: new Date(), producer: 'test', correlationId: event.correlationId, causationId: event.eventId },
  );
}

describe('messaging on real Kafka and PostgreSQL', () => {
  const kafka = testKafka();
  let db: TestDatabase;
  let orm: MikroORM;
  let prefix: string;
  let app: INestMicroservice;
  let relay: OutboxRelay;
  let producer: Producer;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    db = await createTestDatabase('messaging_it');
    orm = await MikroORM.init({ clientUrl: db.url, entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: false });
    for (const sql of [...messagingSchemaSql(), 'CREATE TABLE applied (event_id uuid NOT NULL)']) await orm.em.getConnection().execute(sql);
    prefix = await isolatedTopics(kafka, provisionTopics);
    const metrics = new MessagingMetrics(new Registry());
    @Module({ controllers: [DecisionsTestHandler], providers: [{ provide: ORM, useValue: orm }] })
    class TestModule {}
    const transport = new KafkaEventTransport({ kafka, groupId: 'messaging-it', topicPrefix: prefix, metrics, maxHandlerAttempts: 2, retryBackoffMs: { initial: 10, max: 50 } });
    app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
    await app.listen();
    relay = new OutboxRelay({ databaseUrl: db.url, kafka, lockName: `relay-${db.name}`, topicPrefix: prefix, metrics, pollIntervalMs: 100 });
    await relay.start();
    producer = kafka.producer();
    await producer.connect();
    recorder = new TopicRecorder(kafka, [`${prefix}order.rejected`, `${prefix}decision.approved.dlq`]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await producer?.disconnect();
    await relay?.stop();
    await app?.close();
    await orm?.close();
    await db?.drop();
  });

  const applied = async (eventId: string) =>
    (await orm.em.fork().getConnection().execute<{ n: string }[]>('SELECT count(*)::text AS n FROM applied WHERE event_id = ?', [eventId]))[0]?.n;

  it('applies an event once and publishes what it caused through the outbox', async () => {
    const event = decision();
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(event));
    const [rejection] = await recorder.waitFor(byEventId(rejectionIdOf(event.eventId)));
    expect(rejection?.key).toBe('acc-it:AAPL');
    expect(rejection?.headers['x-causation-id']).toBe(event.eventId);
    expect(await applied(event.eventId)).toBe('1');
  });

  it('drops a redelivered event: state and outbox unchanged', async () => {
    const event = decision();
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(event));
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(event));
    const marker = decision();
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(marker));
    await recorder.waitFor(byEventId(rejectionIdOf(marker.eventId)));
    expect(await applied(event.eventId)).toBe('1');
    expect(recorder.records.filter(byEventId(rejectionIdOf(event.eventId)))).toHaveLength(1);
  });

  it('dead-letters a malformed record with its reason and keeps consuming', async () => {
    const valid = decision();
    const bad = { ...valid, payload: { ...(valid.payload as object), quantity: 10 } };
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(bad));
    const next = decision();
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(next));
    const [dead] = await recorder.waitFor((r) => r.topic === `${prefix}decision.approved.dlq` && byEventId(bad.eventId)(r));
    expect(dead?.headers['x-dlq-reason']).toMatch(/^CONTRACT_VIOLATION: .*payload\.quantity/);
    expect(dead?.headers['x-dlq-source-topic']).toBe('decision.approved');
    expect(dead?.headers['x-dlq-consumer']).toBe('messaging-it');
    await recorder.waitFor(byEventId(rejectionIdOf(next.eventId)));
    expect(await applied(bad.eventId)).toBe('0');
  });

  it('dead-letters an event its handler keeps refusing, after bounded attempts', async () => {
    const event = decision();
    failOn.add(event.eventId);
    await produce(producer, `${prefix}decision.approved`, 'acc-it', JSON.stringify(event));
    const [dead] = await recorder.waitFor((r) => r.topic.endsWith('.dlq') && byEventId(event.eventId)(r));
    expect(dead?.headers['x-dlq-reason']).toBe('HANDLER_FAILED: Error: handler refuses this event');
  });

  it('republishes an event whose publish was not recorded, and the consumer inbox drops the copy', async () => {
    const event = decision();
    await orm.em.fork().transactional((em) => appendToOutbox(sqlOf(em), [event]));
    await recorder.waitFor(byEventId(rejectionIdOf(event.eventId)));
    // As if the relay died after Kafka acknowledged the batch but before marking it published.
    await orm.em.fork().getConnection().execute('UPDATE messaging_outbox SET published_at = NULL WHERE event_id = ?', [event.eventId]);
    const marker = decision();
    await orm.em.fork().transactional((em) => appendToOutbox(sqlOf(em), [marker]));
    await recorder.waitFor(byEventId(rejectionIdOf(marker.eventId)));
    expect(await applied(event.eventId)).toBe('1');
    expect(recorder.records.filter(byEventId(rejectionIdOf(event.eventId)))).toHaveLength(1);
  });
});
