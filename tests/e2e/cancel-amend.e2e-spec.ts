import { randomUUID } from 'node:crypto';
import { TopicRecorder } from '@tlp/testing';
import { amendOf, cancelOf, newTrade, postDecision } from './decisions';
import { Platform } from './platform';
import { forDecision, forOrder, payloadOf } from './records';

describe('CANCEL and AMEND decisions against the paper broker', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.filled', 'order.canceled'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  const decide = async (body: unknown) => {
    const reply = await postDecision(platform.httpUrls.executor, body);
    expect(reply.status).toBe(202);
    return reply.body;
  };

  it('cancels a resting limit order, confirms it at the broker, and order.canceled follows', async () => {
    const entry = newTrade({ orderType: 'LIMIT', limitPrice: '100.00', quantity: '3' });
    const placed = await decide(entry);
    expect(placed.outcome).toBe('ACCEPTED');

    expect(await decide(cancelOf(entry.decisionId))).toMatchObject({ outcome: 'CANCELED' });
    const [canceled] = await recorder.waitFor((r) => r.topic.endsWith('order.canceled') && forOrder(placed.orderId ?? '')(r));
    expect(payloadOf(canceled)).toMatchObject({ filledQuantity: '0', decisionId: entry.decisionId });
    const atBroker = (await platform.brokerOrders()).find((o) => o.status === 'canceled' && o.client_order_id === payloadOf(canceled)['clientOrderId']);
    expect(atBroker).toBeDefined();
  });

  it('reports an order that filled before the cancel as filled, and cancels nothing', async () => {
    const entry = newTrade({ quantity: '1' });
    const placed = await decide(entry);
    await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(placed.orderId ?? '')(r));

    expect(await decide(cancelOf(entry.decisionId))).toMatchObject({ outcome: 'ALREADY_FILLED' });
    await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(entry.decisionId)(r));
    expect(recorder.records.filter((r) => r.topic.endsWith('order.canceled') && forOrder(placed.orderId ?? '')(r))).toHaveLength(0);
  });

  it('refuses to cancel a decision it never executed', async () => {
    expect(await decide(cancelOf(randomUUID()))).toMatchObject({ outcome: 'TARGET_NOT_FOUND', orderId: null });
  });

  it('amends a resting order by replacing it at the broker: new broker id, same internal order', async () => {
    const entry = newTrade({ orderType: 'LIMIT', limitPrice: '100.00', quantity: '3' });
    await decide(entry);
    const before = await platform.brokerOrders();
    const original = before.find((o) => o.status === 'new' && o.qty === '3' && o.limit_price === '100');
    expect(original).toBeDefined();

    expect(await decide(amendOf(entry.decisionId, { quantity: '4', limitPrice: '101.00' }))).toMatchObject({ outcome: 'REPLACED' });
    const after = await platform.brokerOrders();
    const replacement = after.find((o) => o.replaces === original?.id);
    expect(replacement).toMatchObject({ qty: '4', limit_price: '101' });
    expect(after.find((o) => o.id === original?.id)?.status).toBe('replaced');
  });

  it('cancels and resubmits when the broker cannot replace the order', async () => {
    const entry = newTrade({ orderType: 'LIMIT', limitPrice: '100.00', quantity: '2', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });
    const placed = await decide(entry);
    await platform.armFaults([{ kind: 'error', route: 'PATCH /v2/orders/:id', status: 422, times: 1 }]);
    try {
      const amend = amendOf(entry.decisionId, { limitPrice: '99.50' });
      expect(await decide(amend)).toMatchObject({ outcome: 'RESUBMITTED' });
      const [resubmitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(amend.decisionId)(r));
      expect(payloadOf(resubmitted)).toMatchObject({ limitPrice: '99.5', quantity: '2', tradeId: entry.tradeId });
      await recorder.waitFor((r) => r.topic.endsWith('order.canceled') && forOrder(placed.orderId ?? '')(r));
    } finally {
      await platform.clearFaults();
    }
  });
});
