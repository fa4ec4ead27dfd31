import { randomUUID } from 'node:crypto';
import { TOPICS, type OrderFilledV1 } from '@tlp/contracts';
import { provisionTopics } from '@tlp/messaging';
import { isolatedTopics, testKafka } from '@tlp/testing';
import type { Producer } from 'kafkajs';
import { inbox, orderFilled, PositionMonitorHarness, type OrderSpec } from '../test/position-monitor.harness';
import { runReplay, type ReplayOptions } from './replay.command';

const MODES = { defaultMode: 'NETTING', hedgingAccounts: ['acc-replay-h'], nettingAccounts: [] } as const;

describe('replay: rebuild every position from order.filled and compare with the stored state', () => {
  let h: PositionMonitorHarness;
  let producer: Producer;
  let prefix: string;
  let options: ReplayOptions;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_replay', MODES);
    const kafka = testKafka();
    prefix = await isolatedTopics(kafka, provisionTopics);
    producer = kafka.producer();
    await producer.connect();
    options = {
      databaseUrl: h.db.url,
      storedSchema: 'public',
      kafkaBrokers: (process.env['TLP_KAFKA_BROKERS'] ?? '').split(','),
      topicPrefix: prefix,
      modes: MODES,
      keepScratch: false,
      scratchSchema: `replay_${randomUUID().slice(0, 8)}`,
    };
  });

  afterAll(async () => {
    await producer?.disconnect();
    await h?.stop();
  });

  /** What the live consumer does: the event is on the topic and was applied to the stored state. */
  const live = async (event: OrderFilledV1) => {
    await producer.send({ topic: `${prefix}order.filled`, acks: -1, messages: [{ key: TOPICS.orderFilled.key.of(event), value: JSON.stringify(event) }] });
    await h.positions.process(event, inbox(event.eventId, 'order.filled'));
  };

  it('reproduces the stored state exactly, then reports a tampered position', async () => {
    const tradeA = randomUUID();
    const scaled: OrderSpec = { orderId: randomUUID(), tradeId: tradeA, symbol: 'RPA', side: 'BUY', quantity: '10' };
    await live(orderFilled(scaled, { lastQuantity: '3', price: '100.10', fee: '0.013', at: '2026-03-02T15:00:01.000Z' }));
    await live(orderFilled(scaled, { lastQuantity: '7', price: '100.35', fee: '0.031', at: '2026-03-02T15:00:02.000Z' }));
    const duplicate = orderFilled({ symbol: 'RPA', side: 'SELL', quantity: '4' }, { lastQuantity: '4', price: '101.2', fee: '0.02', at: '2026-03-02T15:01:00.000Z' });
    await live(duplicate);
    await live({ ...duplicate, eventId: randomUUID() });
    await live(orderFilled({ symbol: 'RPA', side: 'SELL', quantity: '9' }, { lastQuantity: '9', price: '99.95', fee: '0.07', at: '2026-03-02T15:02:00.000Z' }));
    await live(orderFilled({ symbol: 'RPB260320P00050000', side: 'BUY', quantity: '2', multiplier: '100' }, { lastQuantity: '2', price: '1.37', fee: '1.3', at: '2026-03-02T15:03:00.000Z' }));
    for (const tradeId of [randomUUID(), randomUUID()]) {
      await live(orderFilled({ accountId: 'acc-replay-h', tradeId, symbol: 'RPH', side: 'BUY', quantity: '5' }, { lastQuantity: '5', price: '20', at: '2026-03-02T15:04:00.000Z' }));
      await live(orderFilled({ accountId: 'acc-replay-h', tradeId, symbol: 'RPH', side: 'SELL', purpose: 'EXIT', quantity: '5' }, { lastQuantity: '2', price: '21', at: '2026-03-02T15:05:00.000Z' }));
    }
    const [stored] = await h.query<{ n: string }>('SELECT count(*)::text AS n FROM positions');
    expect(stored?.n).toBe('5');

    const report = await runReplay(options);
    expect(report).toEqual({ fillsRead: 10, positionsRebuilt: 5, positionsStored: 5, differences: [], adjustedPositions: [], equal: true });

    const [tampered] = await h.query<{ position_id: string }>("UPDATE positions SET fees_paid = fees_paid + 0.000001 WHERE position_id = (SELECT position_id FROM positions WHERE symbol = 'RPH' ORDER BY position_id LIMIT 1) RETURNING position_id::text");
    const after = await runReplay({ ...options, scratchSchema: `replay_${randomUUID().slice(0, 8)}` });
    expect(after.equal).toBe(false);
    expect(after.differences).toEqual([`${tampered?.position_id}: position stored but not rebuilt`, `${tampered?.position_id}: position rebuilt but not stored`]);
    const schemas = await h.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.schemata WHERE schema_name LIKE 'replay_%'");
    expect(schemas[0]?.n).toBe('0');
  });
});
