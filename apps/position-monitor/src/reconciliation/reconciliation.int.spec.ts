import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { ValuationService } from '../valuation/valuation.service';
import { FakeBroker, inbox, orderFilled, PositionMonitorHarness, type OrderSpec } from '../test/position-monitor.harness';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationWriter } from './reconciliation.writer';

const d = (v: string) => new Decimal(v);
const ACCOUNT = 'acc-recon';
const OPTION = 'VALO260320C00003000';

describe('valuation and reconciliation against PostgreSQL', () => {
  let h: PositionMonitorHarness;
  let broker: FakeBroker;
  let valuation: ValuationService;
  let reconciliation: ReconciliationService;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_recon');
    broker = new FakeBroker();
    valuation = new ValuationService(h.orm, h.clock, h.repository, h.metrics, h.lifecycle, broker.asPort(), { intervalMs: 0, afterHoursTime: '18:15' });
    const writer = new ReconciliationWriter(h.orm, h.clock, h.repository, h.positions);
    reconciliation = new ReconciliationService(h.orm, h.clock, h.repository, new ReconciliationRepository(h.orm), writer, h.metrics, broker.asPort(), { accountId: ACCOUNT, intervalMs: 0 });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const fill = async (spec: OrderSpec, f: Parameters<typeof orderFilled>[1]) => {
    const event = orderFilled({ accountId: ACCOUNT, ...spec }, f);
    await h.positions.process(event, inbox(event.eventId, 'order.filled'));
  };
  const position = async (symbol: string) => {
    const [row] = await h.query<{ position_id: string; status: string; quantity: string; mark_price: string | null; market_value: string | null; unrealized_pnl: string | null; exit_reason: string | null; revision: number; realized_pnl_gross: string }>(
      `SELECT position_id, status, quantity::text, mark_price::text, market_value::text, unrealized_pnl::text, exit_reason, revision, realized_pnl_gross::text
       FROM positions WHERE account_id = ? AND symbol = ? ORDER BY opened_at DESC, revision DESC LIMIT 1`,
      [ACCOUNT, symbol],
    );
    return row;
  };
  const held = (symbol: string, quantity: string, currentPrice: string | null = null) => ({
    symbol,
    assetClass: 'us_equity' as never,
    quantity: d(quantity),
    averageEntryPrice: d('1'),
    marketValue: null,
    currentPrice: currentPrice === null ? null : d(currentPrice),
  });

  it('values open positions at the midpoint, multiplier-aware, skipping and counting those without a quote', async () => {
    await fill({ symbol: 'VAL', side: 'BUY', quantity: '10' }, { lastQuantity: '10', price: '100' });
    await fill({ symbol: OPTION, side: 'SELL', quantity: '2', multiplier: '100' }, { lastQuantity: '2', price: '3.10' });
    await fill({ symbol: 'NOQ', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '5' });
    broker.quotes = new Map([
      ['VAL', { symbol: 'VAL', bid: d('101.00'), ask: d('101.10'), at: new Date() }],
      [OPTION, { symbol: OPTION, bid: null, ask: d('2.90'), at: new Date() }],
    ]);
    const summary = await valuation.valueAll();
    expect(summary).toEqual({ valued: 2, skipped: 1, unchanged: 0 });
    expect(await position('VAL')).toMatchObject({ mark_price: '101.05', market_value: '1010.5', unrealized_pnl: '10.5', revision: 2 });
    expect(await position(OPTION)).toMatchObject({ mark_price: '2.9', market_value: '-580', unrealized_pnl: '40' });
    expect(await position('NOQ')).toMatchObject({ mark_price: null, market_value: null });
    const states = await h.query<{ symbol: string; state: string }>('SELECT symbol, state FROM position_lifecycles WHERE account_id = ? ORDER BY symbol', [ACCOUNT]);
    expect(states).toEqual([
      { symbol: 'NOQ', state: 'OPEN' },
      { symbol: 'VAL', state: 'MONITORING' },
      { symbol: OPTION, state: 'MONITORING' },
    ]);
    expect(await h.metric('tlp_position_valuation_skipped_total')).toBe(1);
    const [marked] = await h.query<{ payload: string }>("SELECT payload FROM messaging_outbox WHERE strpos(payload, '\"cause\":\"MARK\"') > 0 AND strpos(payload, '\"VAL\"') > 0");
    expect(JSON.parse(marked?.payload ?? '{}')).toMatchObject({ payload: { cause: 'MARK', marketValue: '1010.5', unrealizedPnl: '10.5', revision: 2 } });
    expect(await valuation.valueAll()).toEqual({ valued: 0, skipped: 1, unchanged: 2 });
  });

  it('values nothing when the quote request fails', async () => {
    broker.quotes = new Error('HTTP 503');
    expect(await valuation.valueAll()).toBeNull();
  });

  it('treats a failed broker query as unknown: nothing closed, the failure stored', async () => {
    broker.positions = new Error('HTTP 500 from broker');
    expect(await reconciliation.run()).toEqual({ kind: 'UNKNOWN', detail: 'HTTP 500 from broker' });
    expect(await reconciliation.run()).toMatchObject({ kind: 'UNKNOWN' });
    expect(await position('VAL')).toMatchObject({ status: 'OPEN', quantity: '10' });
    const [failed] = await h.query<{ n: string }>("SELECT count(*)::text AS n FROM reconciliation_findings WHERE kind = 'BROKER_QUERY_FAILED'");
    expect(failed?.n).not.toBe('0');
  });

  it('closes a position gone at the broker (MANUAL_EXIT), adjusts a quantity difference, reports an unknown one, after two runs agree', async () => {
    const tradeId = randomUUID();
    await fill({ tradeId, symbol: 'GONE', side: 'BUY', quantity: '5' }, { lastQuantity: '5', price: '20' });
    await fill({ tradeId, symbol: 'GONE', side: 'SELL', quantity: '5', purpose: 'EXIT' }, { lastQuantity: '1', price: '21', averagePrice: '21' });
    broker.quotes = new Map([['GONE', { symbol: 'GONE', bid: d('25'), ask: d('25'), at: new Date() }]]);
    await valuation.valueAll();
    broker.positions = [held('VAL', '10', '101'), held(OPTION, '-2'), held('NOQ', '4', '6'), held('ALIEN', '7', '30')];
    const first = await reconciliation.run();
    expect(first).toMatchObject({ kind: 'RECONCILED', actions: [] });
    const second = await reconciliation.run();
    expect(second.kind === 'RECONCILED' ? second.actions.map((a) => `${a.kind}:${a.symbol}`).sort() : second).toEqual([
      'MANUAL_EXIT:GONE',
      'QUANTITY_ADJUSTED:NOQ',
      'UNKNOWN_AT_PLATFORM:ALIEN',
    ]);
    // The exit order's average price (21), not the last mark (25): gross = (21 - 20) x 5.
    expect(await position('GONE')).toMatchObject({ status: 'CLOSED', quantity: '0', exit_reason: 'MANUAL_EXIT', realized_pnl_gross: '5' });
    expect(await position('NOQ')).toMatchObject({ status: 'OPEN', quantity: '4' });
    const synthetic = await h.query<{ source: string; external: boolean; execution_id: string }>(
      "SELECT f.source, f.external, f.execution_id FROM position_fills f JOIN positions p USING (position_id) WHERE p.account_id = ? AND f.source <> 'ORDER_FILLED' ORDER BY f.source",
      [ACCOUNT],
    );
    expect(synthetic.map((s) => [s.source, s.external])).toEqual([
      ['EXTERNAL_ADJUSTMENT', true],
      ['MANUAL_EXIT', true],
    ]);
    expect(synthetic.every((s) => s.execution_id.startsWith('reconciliation:'))).toBe(true);
    const [lifecycle] = await h.query<{ state: string }>("SELECT l.state FROM position_lifecycles l JOIN positions p USING (position_id) WHERE p.symbol = 'GONE'");
    expect(lifecycle?.state).toBe('CLOSED');
    const findings = await h.query<{ kind: string; symbol: string }>("SELECT kind, symbol FROM reconciliation_findings WHERE kind <> 'BROKER_QUERY_FAILED' ORDER BY symbol");
    expect(findings).toEqual([
      { kind: 'UNKNOWN_AT_PLATFORM', symbol: 'ALIEN' },
      { kind: 'MANUAL_EXIT', symbol: 'GONE' },
      { kind: 'QUANTITY_ADJUSTED', symbol: 'NOQ' },
    ]);
    expect(await h.metric('tlp_position_unknown_at_platform')).toBe(1);
    const [reconciled] = await h.query<{ n: string }>("SELECT count(*)::text AS n FROM messaging_outbox WHERE strpos(payload, '\"cause\":\"RECONCILIATION\"') > 0");
    expect(reconciled?.n).toBe('2');
  });
});
