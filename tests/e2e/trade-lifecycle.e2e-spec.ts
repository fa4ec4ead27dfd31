import { TopicRecorder } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { newTrade } from './decisions';
import { PAPER_PRICES, Platform } from './platform';
import { eventually, forDecision, forOrder, payloadOf } from './records';

/** Seed 004's trade lifecycle: entry fills, protective exits go to the broker, one exit fills, the sibling is canceled, the trade closes. */
describe('a SWING trade from entry to take-profit, on the paper broker', () => {
  let platform: Platform;
  let recorder: TopicRecorder;
  const topics = ['order.submitted', 'order.filled', 'order.canceled', 'trade.closed', 'trade.alerted', 'position.updated'];

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, topics.map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  const setPrice = (symbol: string, price: string) =>
    fetch(`${platform.brokerUrl}/_admin/prices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol, price }) });

  it('places a stop-loss and a take-profit after the entry fills, closes PROFIT_TAKEN and cancels the stop', async () => {
    const decision = newTrade({ tradeStyle: 'SWING', quantity: '10', plannedStopLoss: '182.00', plannedTakeProfit: '196.00' });
    await platform.publishDecision(decision);
    const [entry] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const entryOrderId = payloadOf(entry)['orderId'] as string;
    const [entryFill] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(entryOrderId)(r));

    const exits = await eventually(
      async () => (await platform.brokerOrders()).filter((o) => o.status === 'new' && o.qty === '10'),
      (orders) => orders.length === 2,
    );
    expect(exits.map((o) => o.limit_price ?? 'stop').sort()).toEqual(['196', 'stop']);
    expect(exits.every((o) => o.client_order_id.startsWith('tlp-'))).toBe(true);

    await setPrice('AAPL', '196.50');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    const trade = payloadOf(closed);
    expect(trade).toMatchObject({ exitReason: 'PROFIT_TAKEN', direction: 'LONG', tradeStyle: 'SWING', entryQuantity: '10', exitQuantity: '10' });
    const exitPrice = new Decimal(trade['actualExitPrice'] as string);
    const entryPrice = new Decimal(payloadOf(entryFill)['averagePrice'] as string);
    expect(entryPrice.eq(PAPER_PRICES.AAPL)).toBe(true);
    expect(new Decimal(trade['realizedPnlGross'] as string).eq(exitPrice.minus(entryPrice).times(10))).toBe(true);
    expect(exitPrice.gte('196')).toBe(true);

    const stop = exits.find((o) => o.limit_price === null);
    const canceled = await eventually(async () => (await platform.brokerOrders()).find((o) => o.id === stop?.id)?.status, (s) => s === 'canceled');
    expect(canceled).toBe('canceled');
    expect(recorder.records.filter((r) => r.topic.endsWith('trade.alerted') && payloadOf(r)['tradeId'] === decision.tradeId)).toHaveLength(0);
    const flat = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && payloadOf(r)['status'] === 'CLOSED' && (payloadOf(r)['instrument'] as { symbol: string }).symbol === 'AAPL');
    expect(payloadOf(flat[0])['quantity']).toBe('0');
  });

  it('gives a DAY trade a stop-loss only, and closes it STOPPED_OUT with the loss in decimals', async () => {
    await setPrice('MSFT', '410.25');
    const decision = newTrade({ tradeStyle: 'DAY', quantity: '4', plannedStopLoss: '400.00', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });
    await platform.publishDecision(decision);
    const [entry] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const [entryFill] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(payloadOf(entry)['orderId'] as string)(r));
    const stops = await eventually(
      async () => (await platform.brokerOrders()).filter((o) => o.status === 'new' && o.qty === '4'),
      (orders) => orders.length >= 1,
    );
    expect(stops).toHaveLength(1);
    expect(stops[0]?.limit_price).toBeNull();

    await setPrice('MSFT', '399.10');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    const trade = payloadOf(closed);
    expect(trade).toMatchObject({ exitReason: 'STOPPED_OUT', tradeStyle: 'DAY', exitQuantity: '4' });
    const expected = new Decimal(trade['actualExitPrice'] as string).minus(payloadOf(entryFill)['averagePrice'] as string).times(4);
    expect(new Decimal(trade['realizedPnlGross'] as string).eq(expected)).toBe(true);
    expect(expected.isNegative()).toBe(true);
  });

  it('raises an alert and counts both fills when the sibling exit fills before its cancel goes through', async () => {
    await setPrice('SPY', '500.05');
    const decision = newTrade({
      tradeStyle: 'SWING',
      quantity: '2',
      plannedStopLoss: '495.00',
      plannedTakeProfit: '505.00',
      instrument: { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' },
    });
    await platform.publishDecision(decision);
    await eventually(
      async () => (await platform.brokerOrders()).filter((o) => o.status === 'new' && o.qty === '2'),
      (orders) => orders.length === 2,
    );
    // The broker refuses every cancel for now, so the stop-loss is still working when the price turns.
    await platform.armFaults([{ kind: 'error', route: 'DELETE /v2/orders/:id', status: 503, times: 'always' }]);
    try {
      await setPrice('SPY', '505.50');
      await eventually(async () => (await platform.brokerOrders()).filter((o) => o.status === 'filled' && o.qty === '2').length, (n) => n >= 2);
      await setPrice('SPY', '494.00');
      const [alert] = await recorder.waitFor((r) => r.topic.endsWith('trade.alerted') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
      expect(payloadOf(alert)).toMatchObject({ alertCode: 'BOTH_EXITS_FILLED', severity: 'CRITICAL' });
      const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
      const trade = payloadOf(closed);
      expect(trade['exitQuantity']).toBe('4');
      const entryPrice = new Decimal(trade['actualEntryPrice'] as string);
      // Same transaction as the trade's close, but another topic: it may arrive a moment later.
      const exitFills = await recorder.waitFor(
        (r) => r.topic.endsWith('order.filled') && payloadOf(r)['tradeId'] === decision.tradeId && payloadOf(r)['purpose'] !== 'ENTRY',
        2,
      );
      expect(exitFills).toHaveLength(2);
      const expected = exitFills.reduce(
        (sum, r) => sum.plus(new Decimal(payloadOf(r)['lastPrice'] as string).minus(entryPrice).times(payloadOf(r)['lastQuantity'] as string)),
        new Decimal(0),
      );
      expect(new Decimal(trade['realizedPnlGross'] as string).eq(expected)).toBe(true);
    } finally {
      await platform.clearFaults();
    }
  });
});
