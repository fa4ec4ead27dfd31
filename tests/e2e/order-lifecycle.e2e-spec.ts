import { TopicRecorder, type ReceivedRecord } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { newTrade } from './decisions';
import { Platform } from './platform';
import { eventually, eventIdOf, forDecision, forOrder, onTopic, payloadOf } from './records';

type Rule = Record<string, unknown>;

describe('order lifecycle in the order monitor, under paper-broker faults', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.accepted', 'order.filled', 'order.replaced'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterEach(async () => {
    await fetch(`${platform.brokerUrl}/_admin/faults`, { method: 'DELETE' });
  });

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  const arm = async (rules: Rule[]) => {
    const res = await fetch(`${platform.brokerUrl}/_admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(res.status).toBe(200);
  };
  const on = (topic: string, orderId: string) => (r: ReceivedRecord) => onTopic(topic)(r) && forOrder(orderId)(r);
  const settle = () => new Promise((r) => setTimeout(r, 2_000));
  const brokerOrderOf = async (clientOrderId: string) => (await platform.brokerOrders()).find((o) => o.client_order_id === clientOrderId);

  /** Publishes a decision and returns its order as published in `order.submitted`. */
  const place = async (overrides: Parameters<typeof newTrade>[0]) => {
    const decision = newTrade(overrides);
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => onTopic('order.submitted')(r) && forDecision(decision.decisionId)(r));
    const p = payloadOf(submitted);
    return { orderId: p['orderId'] as string, clientOrderId: p['clientOrderId'] as string };
  };

  const expectAcceptedOnce = async (orderId: string) => {
    await recorder.waitFor(on('order.accepted', orderId));
    await settle();
    const accepted = recorder.records.filter(on('order.accepted', orderId));
    expect(accepted).toHaveLength(1);
    expect(payloadOf(accepted[0])).toMatchObject({ orderId, status: 'NEW' });
  };

  it('applies partial fills 4/3/3 as three order.filled with cumulative 4, 7, 10 and the VWAP, then FILLED', async () => {
    await arm([{ kind: 'partial_fills', symbol: 'AAPL', parts: ['4', '3', '3'], delay_ms: 50 }]);
    const { orderId, clientOrderId } = await place({ quantity: '10' });

    const fills = await recorder.waitFor(on('order.filled', orderId), 3);
    const payloads = fills.map(payloadOf);
    expect(payloads.map((p) => p['cumulativeQuantity'])).toEqual(['4', '7', '10']);
    expect(payloads.map((p) => p['lastQuantity'])).toEqual(['4', '3', '3']);
    expect(payloads.map((p) => p['orderStatus'])).toEqual(['PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'FILLED']);
    let value = new Decimal(0);
    payloads.forEach((p, i) => {
      value = value.plus(new Decimal(p['lastQuantity'] as string).times(p['lastPrice'] as string));
      const cumulative = new Decimal(p['cumulativeQuantity'] as string);
      expect(new Decimal(p['averagePrice'] as string).eq(value.dividedBy(cumulative))).toBe(true);
      expect(new Decimal(p['leavesQuantity'] as string).eq(new Decimal(10).minus(cumulative))).toBe(true);
      expect(i === 0 || eventIdOf(fills[i - 1] as ReceivedRecord) !== eventIdOf(fills[i] as ReceivedRecord)).toBe(true);
    });
    expect((await brokerOrderOf(clientOrderId))?.status).toBe('filled');
    await expectAcceptedOnce(orderId);
  });

  it('applies each fill once when the stream sends every fill three times', async () => {
    await arm([
      { kind: 'partial_fills', symbol: 'MSFT', parts: ['1', '2'], delay_ms: 50 },
      { kind: 'duplicate_stream', symbol: 'MSFT', events: ['partial_fill', 'fill', 'new'], copies: 3, times: 'always' },
    ]);
    const { orderId, clientOrderId } = await place({ quantity: '3', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });

    await recorder.waitFor((r) => on('order.filled', orderId)(r) && payloadOf(r)['orderStatus'] === 'FILLED');
    await settle();
    const fills = recorder.records.filter(on('order.filled', orderId)).map(payloadOf);
    expect(fills.map((p) => p['cumulativeQuantity'])).toEqual(['1', '3']);
    expect((await brokerOrderOf(clientOrderId))?.status).toBe('filled');
    await expectAcceptedOnce(orderId);
  });

  it('recovers a fill dropped from the stream through the catch-up after the stream reconnects', async () => {
    await arm([{ kind: 'drop_stream', symbol: 'SPY', events: ['fill'] }]);
    const { orderId, clientOrderId } = await place({ quantity: '2', instrument: { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' } });
    const atBroker = await eventually(() => brokerOrderOf(clientOrderId), (o) => o?.status === 'filled');
    expect(atBroker?.status).toBe('filled');
    await settle();
    expect(recorder.records.filter(on('order.filled', orderId))).toHaveLength(0);

    await arm([{ kind: 'disconnect_stream', after_messages: 0 }]);
    const [filled] = await recorder.waitFor(on('order.filled', orderId));
    expect(payloadOf(filled)).toMatchObject({ cumulativeQuantity: '2', lastQuantity: '2', leavesQuantity: '0', orderStatus: 'FILLED' });
    await settle();
    expect(recorder.records.filter(on('order.filled', orderId))).toHaveLength(1);
    await expectAcceptedOnce(orderId);
  });

  it('parks a fill that arrives before the submit response and applies it once the order is tracked', async () => {
    await arm([{ kind: 'fill_before_response', symbol: 'AAPL', delay_ms: 200 }]);
    const { orderId, clientOrderId } = await place({ quantity: '5' });

    const [filled] = await recorder.waitFor(on('order.filled', orderId));
    expect(payloadOf(filled)).toMatchObject({ cumulativeQuantity: '5', orderStatus: 'FILLED', clientOrderId });
    await settle();
    expect(recorder.records.filter(on('order.filled', orderId))).toHaveLength(1);
    expect((await brokerOrderOf(clientOrderId))?.status).toBe('filled');
    const metrics = await (await fetch(`${platform.httpUrls['order-monitor']}/metrics`)).text();
    expect(metrics).toMatch(/tlp_fills_processed_total\{outcome="PARKED",source="STREAM"[^}]*\} [1-9]/);
    await expectAcceptedOnce(orderId);
  });

  it('publishes order.accepted once per order, with a deterministic id, for orders that never fill', async () => {
    await arm([{ kind: 'duplicate_stream', symbol: 'MSFT', events: ['new'], copies: 3 }]);
    const { orderId, clientOrderId } = await place({
      quantity: '1',
      orderType: 'LIMIT',
      limitPrice: '100.00',
      instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' },
    });
    await expectAcceptedOnce(orderId);
    expect((await brokerOrderOf(clientOrderId))?.status).toBe('new');
    expect(recorder.records.filter(on('order.filled', orderId))).toHaveLength(0);
  });

  it('links a replacement to the same order: order.replaced with the new broker id, then its fill counts for the order', async () => {
    const spy = { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' } as const;
    const { orderId, clientOrderId } = await place({ quantity: '2', orderType: 'LIMIT', limitPrice: '400.00', instrument: spy });
    await recorder.waitFor(on('order.accepted', orderId));
    const original = await brokerOrderOf(clientOrderId);
    const res = await fetch(`${platform.brokerUrl}/v2/orders/${original?.id ?? ''}`, {
      method: 'PATCH',
      headers: { 'APCA-API-KEY-ID': 'paper-key', 'APCA-API-SECRET-KEY': 'paper-secret', 'content-type': 'application/json' },
      body: JSON.stringify({ limit_price: '450.00' }),
    });
    expect(res.status).toBe(200);
    const replacementId = ((await res.json()) as { id: string }).id;

    const [replaced] = await recorder.waitFor(on('order.replaced', orderId));
    expect(payloadOf(replaced)).toMatchObject({ brokerOrderId: replacementId, replacedBrokerOrderId: original?.id, newQuantity: '2', newLimitPrice: '450', clientOrderId });

    await fetch(`${platform.brokerUrl}/_admin/prices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'SPY', price: '440.00' }) });
    const [filled] = await recorder.waitFor(on('order.filled', orderId));
    expect(payloadOf(filled)).toMatchObject({ brokerOrderId: replacementId, cumulativeQuantity: '2', orderStatus: 'FILLED' });
    await settle();
    expect(recorder.records.filter(on('order.replaced', orderId))).toHaveLength(1);
    expect(recorder.records.filter(on('order.accepted', orderId))).toHaveLength(1);
  });
});
