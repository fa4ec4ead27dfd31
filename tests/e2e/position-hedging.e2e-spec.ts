import { TopicRecorder } from '@tlp/testing';
import { Client } from 'pg';
import { newTrade } from './decisions';
import { Platform } from './platform';
import { eventually, payloadOf } from './records';

/** Hedging mode end to end: two trades in one instrument of one account hold two positions, each linked to its own orders. */
describe('positions in hedging mode: one position per trade', () => {
  let platform: Platform;
  let recorder: TopicRecorder;
  let db: Client;

  beforeAll(async () => {
    platform = await Platform.start({ env: { 'position-monitor': { POSITION_MONITOR_HEDGING_ACCOUNTS: 'acc-e2e' } } });
    recorder = new TopicRecorder(platform.kafka, [platform.topic('position.updated')]);
    await recorder.start();
    db = new Client({ connectionString: platform.databases['position-monitor'].url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await recorder?.stop();
    await platform?.stop();
  });

  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await db.query(sql, params)).rows as T[];

  it('opens a separate position for each trade, links each entry order to its own, and closes one without touching the other', async () => {
    const first = newTrade({ tradeStyle: 'DAY', quantity: '3', plannedStopLoss: '180.00' });
    const second = newTrade({ tradeStyle: 'DAY', quantity: '4', plannedStopLoss: '170.00' });
    await platform.publishDecision(first);
    await platform.publishDecision(second);
    const open = await eventually(
      () => rows<{ position_id: string; trade_id: string; mode: string; quantity: string; status: string }>("SELECT position_id, trade_id, mode, quantity::text, status FROM positions WHERE symbol = 'AAPL' ORDER BY quantity"),
      (r) => r.length === 2,
      30_000,
    );
    expect(open.map(({ trade_id, mode, quantity, status }) => ({ trade_id, mode, quantity, status }))).toEqual([
      { trade_id: first.tradeId, mode: 'HEDGING', quantity: '3', status: 'OPEN' },
      { trade_id: second.tradeId, mode: 'HEDGING', quantity: '4', status: 'OPEN' },
    ]);
    for (const position of open) {
      // The entry order by its fill (an exit only when order-monitor announces it): all of this trade only.
      const links = await rows<{ purpose: string; trade_id: string }>('SELECT purpose, trade_id FROM position_orders WHERE position_id = $1', [position.position_id]);
      expect(links).toContainEqual({ purpose: 'ENTRY', trade_id: position.trade_id });
      expect(links.filter((l) => l.trade_id !== position.trade_id)).toEqual([]);
    }
    const [update] = await recorder.waitFor((r) => payloadOf(r)['tradeId'] === first.tradeId);
    expect(payloadOf(update)).toMatchObject({ mode: 'HEDGING', quantity: '3', cause: 'FILL' });

    // The first trade's stop (180) triggers, the second's (170) does not: only its position closes.
    await fetch(`${platform.brokerUrl}/_admin/prices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'AAPL', price: '179.00' }) });
    const after = await eventually(
      () => rows<{ trade_id: string; quantity: string; status: string }>("SELECT trade_id, quantity::text, status FROM positions WHERE symbol = 'AAPL' ORDER BY trade_id = $1 DESC", [first.tradeId]),
      (r) => r[0]?.status === 'CLOSED',
      30_000,
    );
    expect(after).toEqual([
      { trade_id: first.tradeId, quantity: '0', status: 'CLOSED' },
      { trade_id: second.tradeId, quantity: '4', status: 'OPEN' },
    ]);
    const [lifecycle] = await rows<{ state: string }>('SELECT state FROM position_lifecycles WHERE trade_id = $1', [first.tradeId]);
    expect(lifecycle?.state).toBe('CLOSED');
  });
});
