import { TopicRecorder } from '@tlp/testing';
import { newTrade } from './decisions';
import { Platform, type BrokerOrderView } from './platform';
import { eventIdOf, eventually, payloadOf } from './records';

// A SIGKILLed consumer stays in its group until its session times out, so each restart takes a while.
const RESTART_TEST_TIMEOUT_MS = 240_000;

/** The order monitor killed (SIGKILL) right after the broker accepted its exits, before it recorded them: restarted, it finds them and places nothing twice. */
describe('order-monitor killed in the middle of exit placement', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start({ env: { 'order-monitor': { TLP_FAULT_POINTS: 'order-monitor:after-exit-submit' } } });
    recorder = new TopicRecorder(platform.kafka, ['order.filled', 'order.canceled', 'trade.closed', 'trade.alerted'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  const setPrice = (symbol: string, price: string) =>
    fetch(`${platform.brokerUrl}/_admin/prices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol, price }) });
  const exitsAtBroker = async (): Promise<BrokerOrderView[]> => (await platform.brokerOrders()).filter((o) => o.side === 'sell');

  it('native OCO: one pair at the broker after the restart, and the trade closes once on the take-profit', async () => {
    const monitor = platform.services['order-monitor'];
    const decision = newTrade({ tradeStyle: 'SWING', quantity: '10', plannedStopLoss: '182.00', plannedTakeProfit: '196.00' });
    await platform.publishDecision(decision);
    await monitor.waitForExit();
    const atCrash = await exitsAtBroker();
    expect(atCrash.map((o) => `${o.order_class ?? ''} ${o.type ?? ''} ${o.qty}`).sort()).toEqual(['oco limit 10', 'oco stop 10']);

    monitor.setEnv({ TLP_FAULT_POINTS: '' });
    await monitor.start();
    // The recovery pass at start finds the pair by the take-profit's client order id instead of sending it again.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await exitsAtBroker()).map((o) => o.id).sort()).toEqual(atCrash.map((o) => o.id).sort());

    await setPrice('AAPL', '196.50');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    expect(payloadOf(closed)).toMatchObject({ exitReason: 'PROFIT_TAKEN', entryQuantity: '10', exitQuantity: '10', realizedPnlGross: '90' });
    const orders = await eventually(exitsAtBroker, (o) => o.every((x) => x.status === 'filled' || x.status === 'canceled'));
    expect(orders.map((o) => `${o.type ?? ''} ${o.status}`).sort()).toEqual(['limit filled', 'stop canceled']);
    await new Promise((r) => setTimeout(r, 2000));
    // The relay publishes at least once: a record the killed monitor had sent but not yet marked is
    // sent again under the same event id, which every consumer's inbox drops. Count distinct events.
    const eventsOn = (topic: string) =>
      new Set(recorder.records.filter((r) => r.topic.endsWith(topic) && payloadOf(r)['tradeId'] === decision.tradeId).map(eventIdOf)).size;
    expect(eventsOn('trade.closed')).toBe(1);
    expect(eventsOn('trade.alerted')).toBe(0);
    expect(eventsOn('order.filled')).toBe(2);
  }, RESTART_TEST_TIMEOUT_MS);

  it('emulated stop-loss (DAY trade): one stop at the broker after the restart', async () => {
    const monitor = platform.services['order-monitor'];
    await monitor.kill('SIGTERM');
    monitor.setEnv({ TLP_FAULT_POINTS: 'order-monitor:after-exit-submit' });
    await monitor.start();
    await setPrice('MSFT', '410.25');
    const decision = newTrade({ tradeStyle: 'DAY', quantity: '5', plannedStopLoss: '400.00', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });
    await platform.publishDecision(decision);
    await monitor.waitForExit();
    const stops = async () => (await exitsAtBroker()).filter((o) => o.symbol === 'MSFT');
    const atCrash = await stops();
    expect(atCrash.map((o) => `${o.type ?? ''} ${o.qty} ${o.status}`)).toEqual(['stop 5 new']);

    monitor.setEnv({ TLP_FAULT_POINTS: '' });
    await monitor.start();
    await setPrice('MSFT', '399.00');
    const [closed] = await recorder.waitFor((r) => r.topic.endsWith('trade.closed') && payloadOf(r)['tradeId'] === decision.tradeId, 1, 45_000);
    expect(payloadOf(closed)).toMatchObject({ exitReason: 'STOPPED_OUT', exitQuantity: '5', realizedPnlGross: '-56.25' });
    expect((await stops()).map((o) => `${o.id === atCrash[0]?.id ? 'same' : 'other'} ${o.status}`)).toEqual(['same filled']);
  }, RESTART_TEST_TIMEOUT_MS);
});
