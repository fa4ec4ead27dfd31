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

  /** The native OCO the monitor placed for a SWING equity trade: its take-profit (the order sent) and its stop-loss leg. */
  async function ocoAtBroker(qty: string) {
    const [takeProfit] = await eventually(
      async () => (await platform.brokerOrders()).filter((o) => o.order_class === 'oco' && o.type === 'limit' && o.status === 'new' && o.qty === qty),
      (orders) => orders.length === 1 && orders[0]?.legs?.[0]?.status === 'new',
    );
    const stopLoss = takeProfit?.legs?.[0];
    if (!takeProfit || !stopLoss) throw new Error('no OCO at the broker');
    return { takeProfit, stopLoss };
  }

  it('places one native OCO after the entry fills; the take-profit fills, the broker cancels the stop-loss, the trade closes PROFIT_TAKEN', async () => {
    const decision = newTrade({ tradeStyle: 'SWING', quantity: '10', plannedStopLoss: '182.00', plannedTakeProfit: '196.00' });
    await platform.publishDecision(decision);
    const [entry] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const entryOrderId = payloadOf(entry)['orderId'] as string;
    const [entryFill] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(entryOrderId)(r));

    const { takeProfit, stopLoss } = await ocoAtBroker('10');
    expect(takeProfit).toMatchObject({ side: 'sell', limit_price: '196', time_in_force: 'gtc' });
    expect(takeProfit.client_order_id).toMatch(/^tlp-[0-9a-f]{32}$/);
    expect(stopLoss).toMatchObject({ order_class: 'oco', type: 'stop', side: 'sell', stop_price: '182', qty: '10' });
    // One pair, nothing else working for this trade: no emulated exits beside it.
    expect((await platform.brokerOrders()).filter((o) => o.status === 'new' && o.qty === '10')).toHaveLength(2);

    await setPrice('AAPL', '196.50');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    const trade = payloadOf(closed);
    expect(trade).toMatchObject({ exitReason: 'PROFIT_TAKEN', direction: 'LONG', tradeStyle: 'SWING', entryQuantity: '10', exitQuantity: '10' });
    const exitPrice = new Decimal(trade['actualExitPrice'] as string);
    const entryPrice = new Decimal(payloadOf(entryFill)['averagePrice'] as string);
    expect(entryPrice.eq(PAPER_PRICES.AAPL)).toBe(true);
    expect(exitPrice.eq('196.5')).toBe(true);
    expect(trade['realizedPnlGross']).toBe('90');

    const orders = await platform.brokerOrders();
    expect(orders.find((o) => o.id === stopLoss.id)).toMatchObject({ status: 'canceled', filled_qty: '0' });
    expect(orders.find((o) => o.id === takeProfit.id)).toMatchObject({ status: 'filled', filled_qty: '10' });
    // The stop-loss's end reached Kafka as the sibling's confirmed cancel.
    await recorder.waitFor((r) => r.topic.endsWith('order.canceled') && payloadOf(r)['tradeId'] === decision.tradeId && payloadOf(r)['purpose'] === 'STOP_LOSS');
    expect(recorder.records.filter((r) => r.topic.endsWith('trade.alerted') && payloadOf(r)['tradeId'] === decision.tradeId)).toHaveLength(0);
    const flat = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && payloadOf(r)['status'] === 'CLOSED' && (payloadOf(r)['instrument'] as { symbol: string }).symbol === 'AAPL');
    expect(payloadOf(flat[0])['quantity']).toBe('0');
  });

  it('native OCO, the other side: the stop-loss leg fills, the broker cancels the take-profit, the trade closes STOPPED_OUT', async () => {
    await setPrice('AAPL', '187.50');
    const decision = newTrade({ tradeStyle: 'SWING', quantity: '6', plannedStopLoss: '182.00', plannedTakeProfit: '196.00' });
    await platform.publishDecision(decision);
    const [entry] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(payloadOf(entry)['orderId'] as string)(r));
    const { takeProfit, stopLoss } = await ocoAtBroker('6');

    await setPrice('AAPL', '181.90');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    expect(payloadOf(closed)).toMatchObject({ exitReason: 'STOPPED_OUT', exitQuantity: '6', actualEntryPrice: '187.5', actualExitPrice: '181.9' });
    // (181.90 - 187.50) x 6, exactly
    expect(payloadOf(closed)['realizedPnlGross']).toBe('-33.6');
    const orders = await platform.brokerOrders();
    expect(orders.find((o) => o.id === stopLoss.id)).toMatchObject({ status: 'filled', filled_qty: '6' });
    expect(orders.find((o) => o.id === takeProfit.id)).toMatchObject({ status: 'canceled', filled_qty: '0' });
    const [stopFill] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && payloadOf(r)['tradeId'] === decision.tradeId && payloadOf(r)['purpose'] === 'STOP_LOSS');
    expect(payloadOf(stopFill)).toMatchObject({ lastQuantity: '6', lastPrice: '181.9' });
    await recorder.waitFor((r) => r.topic.endsWith('order.canceled') && payloadOf(r)['tradeId'] === decision.tradeId && payloadOf(r)['purpose'] === 'TAKE_PROFIT');
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

  it('native OCO: the entry grows after the take-profit filled 2 of 4; version 2 of the pair covers the 8 held, then closes the trade', async () => {
    const msft = { symbol: 'MSFT', assetClass: 'EQUITY' as const, multiplier: '1' };
    const pairOf = async (qty: string) => {
      const orders = await eventually(
        async () => (await platform.brokerOrders()).filter((o) => o.symbol === 'MSFT' && o.order_class === 'oco' && o.type === 'limit' && o.status === 'new' && o.qty === qty),
        (found) => found.length === 1 && found[0]?.legs?.[0]?.status === 'new',
        30_000,
      );
      const [takeProfit] = orders;
      const stopLoss = takeProfit?.legs?.[0];
      if (orders.length !== 1 || !takeProfit || !stopLoss) throw new Error(`no single MSFT OCO of ${qty} at the broker`);
      return { takeProfit, stopLoss };
    };
    await setPrice('MSFT', '410.00');
    // The entry (the next MSFT order) trades 4, then 6 eight seconds later; the first take-profit trades 2, the rest much later.
    await platform.armFaults([
      { kind: 'partial_fills', route: 'POST /v2/orders', symbol: 'MSFT', parts: ['4', '6'], delay_ms: 8000 },
      { kind: 'partial_fills', route: 'POST /v2/orders', symbol: 'MSFT', parts: ['2', '2'], delay_ms: 60_000 },
    ]);
    try {
      const decision = newTrade({ tradeStyle: 'SWING', quantity: '10', plannedStopLoss: '400.00', plannedTakeProfit: '420.00', instrument: msft });
      await platform.publishDecision(decision);
      const v1 = await pairOf('4');
      await setPrice('MSFT', '420.50');
      await eventually(
        async () => (await platform.brokerOrders()).find((o) => o.id === v1.takeProfit.id),
        (o) => o?.filled_qty === '2' && o.legs?.[0]?.qty === '2',
      );
      await setPrice('MSFT', '410.00');

      const v2 = await pairOf('8');
      expect(v2.stopLoss).toMatchObject({ type: 'stop', stop_price: '400', qty: '8', side: 'sell' });
      expect(v2.takeProfit).toMatchObject({ limit_price: '420', side: 'sell' });
      const orders = await platform.brokerOrders();
      expect(orders.find((o) => o.id === v1.takeProfit.id)).toMatchObject({ status: 'canceled', filled_qty: '2' });
      expect(orders.find((o) => o.id === v1.stopLoss.id)).toMatchObject({ status: 'canceled', filled_qty: '0' });
      // Nothing else works on MSFT: the two legs of version 2 only, placed once.
      expect(orders.filter((o) => o.symbol === 'MSFT' && o.status === 'new').map((o) => `${o.type ?? ''} ${o.qty}`).sort()).toEqual(['limit 8', 'stop 8']);

      await setPrice('MSFT', '420.50');
      const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
      expect(payloadOf(closed)).toMatchObject({ exitReason: 'PROFIT_TAKEN', entryQuantity: '10', exitQuantity: '10' });
      expect(recorder.records.filter((r) => r.topic.endsWith('trade.alerted') && payloadOf(r)['tradeId'] === decision.tradeId)).toHaveLength(0);
      expect((await platform.brokerOrders()).find((o) => o.id === v2.stopLoss.id)).toMatchObject({ filled_qty: '0' });
    } finally {
      await platform.clearFaults();
    }
  });

  // Emulated exits (an option has no native OCO): the monitor cancels the sibling itself, and a cancel that does not go through lets both fill.
  it('raises an alert and counts both fills when the sibling exit fills before its cancel goes through (option, emulated exits)', async () => {
    const option = 'SPY260320C00500000';
    await setPrice(option, '5.00');
    const decision = newTrade({
      tradeStyle: 'SWING',
      quantity: '2',
      plannedStopLoss: '4.50',
      plannedTakeProfit: '5.50',
      instrument: { symbol: option, assetClass: 'OPTION', multiplier: '100' },
    });
    await platform.publishDecision(decision);
    await eventually(
      async () => (await platform.brokerOrders()).filter((o) => o.status === 'new' && o.qty === '2'),
      (orders) => orders.length === 2,
    );
    // The broker refuses every cancel for now, so the stop-loss is still working when the price turns.
    await platform.armFaults([{ kind: 'error', route: 'DELETE /v2/orders/:id', status: 503, times: 'always' }]);
    try {
      await setPrice(option, '5.60');
      await eventually(async () => (await platform.brokerOrders()).filter((o) => o.status === 'filled' && o.qty === '2').length, (n) => n >= 2);
      await setPrice(option, '4.40');
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
        (sum, r) => sum.plus(new Decimal(payloadOf(r)['lastPrice'] as string).minus(entryPrice).times(payloadOf(r)['lastQuantity'] as string).times(100)),
        new Decimal(0),
      );
      expect(new Decimal(trade['realizedPnlGross'] as string).eq(expected)).toBe(true);
    } finally {
      await platform.clearFaults();
    }
  });
});
