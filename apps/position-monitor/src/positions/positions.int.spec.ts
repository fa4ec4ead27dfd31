import { randomUUID } from 'node:crypto';
import { inbox, orderAccepted, orderCanceled, orderFilled, orderRejected, orderSubmitted, PositionMonitorHarness, type OrderSpec } from '../test/position-monitor.harness';

describe('positions against PostgreSQL: lifecycle, modes, links', () => {
  let h: PositionMonitorHarness;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_positions', { defaultMode: 'NETTING', hedgingAccounts: ['acc-hedge'], nettingAccounts: [] });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const submit = (spec: OrderSpec) => {
    const event = orderSubmitted(spec);
    return h.orders.submitted(event, inbox(event.eventId, 'order.submitted'));
  };
  const fill = (spec: OrderSpec, f: Parameters<typeof orderFilled>[1]) => {
    const event = orderFilled(spec, f);
    return h.positions.process(event, inbox(event.eventId, 'order.filled'));
  };
  const lifecycleOf = async (where: string, params: unknown[]) => {
    const [row] = await h.query<{ lifecycle_id: string; state: string; position_id: string | null; failure_reason: string | null }>(
      `SELECT lifecycle_id, state, position_id, failure_reason FROM position_lifecycles WHERE ${where}`,
      params,
    );
    return row;
  };
  const history = (lifecycleId: string) =>
    h.query<{ from_state: string | null; to_state: string; cause: string }>('SELECT from_state, to_state, cause FROM position_lifecycle_history WHERE lifecycle_id = ? ORDER BY seq', [lifecycleId]);

  it('walks created -> submitting -> open -> monitoring -> closing -> closed and keeps every transition', async () => {
    const tradeId = randomUUID();
    const entry: OrderSpec = { orderId: randomUUID(), tradeId, symbol: 'LIFE', side: 'BUY', quantity: '10' };
    const stop: OrderSpec = { orderId: randomUUID(), tradeId, symbol: 'LIFE', purpose: 'STOP_LOSS', side: 'SELL', quantity: '10' };
    await submit(entry);
    expect(await lifecycleOf('entry_order_id = ?', [entry.orderId])).toMatchObject({ state: 'SUBMITTING', position_id: null });
    await fill(entry, { lastQuantity: '10', price: '100' });
    const accepted = orderAccepted(stop);
    await h.orders.submitted(accepted, inbox(accepted.eventId, 'order.accepted'));
    await fill(stop, { lastQuantity: '4', price: '95' });
    const closing = await lifecycleOf('entry_order_id = ?', [entry.orderId]);
    expect(closing?.state).toBe('CLOSING');
    await fill(stop, { lastQuantity: '6', price: '94' });
    const closed = await lifecycleOf('entry_order_id = ?', [entry.orderId]);
    expect(closed?.state).toBe('CLOSED');
    expect((await history(closed?.lifecycle_id ?? '')).map((r) => `${r.from_state ?? '-'}>${r.to_state}`)).toEqual([
      '->CREATED',
      'CREATED>SUBMITTING',
      'SUBMITTING>OPEN',
      'OPEN>MONITORING',
      'MONITORING>CLOSING',
      'CLOSING>CLOSED',
    ]);
    const [position] = await h.query<{ status: string; exit_reason: string; realized_pnl_gross: string }>(
      'SELECT status, exit_reason, realized_pnl_gross::text FROM positions WHERE position_id = ?',
      [closed?.position_id],
    );
    expect(position).toEqual({ status: 'CLOSED', exit_reason: 'FILLS', realized_pnl_gross: '-56' });
    const orders = await h.query<{ order_id: string; purpose: string }>('SELECT order_id, purpose FROM position_orders WHERE position_id = ? ORDER BY purpose', [closed?.position_id]);
    expect(orders).toEqual([
      { order_id: entry.orderId, purpose: 'ENTRY' },
      { order_id: stop.orderId, purpose: 'STOP_LOSS' },
    ]);
  });

  it('fails an entry rejected or canceled with nothing filled, and not one that filled', async () => {
    const rejected: OrderSpec = { orderId: randomUUID(), symbol: 'FAIL1', side: 'BUY', quantity: '5' };
    await submit(rejected);
    const event = orderRejected(rejected);
    await h.orders.ended(event, inbox(event.eventId, 'order.rejected'));
    expect(await lifecycleOf('entry_order_id = ?', [rejected.orderId])).toMatchObject({ state: 'FAILED', failure_reason: 'ENTRY_REJECTED' });

    const partial: OrderSpec = { orderId: randomUUID(), symbol: 'FAIL2', side: 'BUY', quantity: '5' };
    await submit(partial);
    await fill(partial, { lastQuantity: '2', price: '10' });
    const canceled = orderCanceled(partial, '2');
    await h.orders.ended(canceled, inbox(canceled.eventId, 'order.canceled'));
    expect(await lifecycleOf('entry_order_id = ?', [partial.orderId])).toMatchObject({ state: 'OPEN' });
  });

  it('opens the lifecycle when the fill arrives before order.submitted, and ignores the late submission', async () => {
    const entry: OrderSpec = { orderId: randomUUID(), symbol: 'LATE', side: 'SELL', quantity: '3' };
    await fill(entry, { lastQuantity: '3', price: '50' });
    await submit(entry);
    const rows = await h.query<{ state: string }>("SELECT state FROM position_lifecycles WHERE symbol = 'LATE'");
    expect(rows).toEqual([{ state: 'OPEN' }]);
  });

  it('keeps one position per instrument in netting mode and one per trade in hedging mode', async () => {
    for (const accountId of ['acc-int', 'acc-hedge']) {
      await fill({ accountId, symbol: 'MODE', side: 'BUY', quantity: '2' }, { lastQuantity: '2', price: '10' });
      await fill({ accountId, symbol: 'MODE', side: 'BUY', quantity: '3' }, { lastQuantity: '3', price: '20' });
    }
    const rows = await h.query<{ account_id: string; mode: string; quantity: string }>(
      "SELECT account_id, mode, quantity::text FROM positions WHERE symbol = 'MODE' AND status = 'OPEN' ORDER BY account_id, quantity",
    );
    expect(rows).toEqual([
      { account_id: 'acc-hedge', mode: 'HEDGING', quantity: '2' },
      { account_id: 'acc-hedge', mode: 'HEDGING', quantity: '3' },
      { account_id: 'acc-int', mode: 'NETTING', quantity: '5' },
    ]);
  });

  it('links a flipping order to both positions it changed, and publishes both', async () => {
    await fill({ symbol: 'FLIP', side: 'BUY', quantity: '4' }, { lastQuantity: '4', price: '10' });
    const flip: OrderSpec = { orderId: randomUUID(), symbol: 'FLIP', side: 'SELL', quantity: '10' };
    await fill(flip, { lastQuantity: '10', price: '12', fee: '1' });
    const links = await h.query<{ position_id: string }>('SELECT position_id FROM position_orders WHERE order_id = ?', [flip.orderId]);
    expect(links).toHaveLength(2);
    const fills = await h.query<{ transition: string; quantity: string; fee: string }>(
      'SELECT transition, quantity::text, fee::text FROM position_fills WHERE order_id = ? ORDER BY transition',
      [flip.orderId],
    );
    expect(fills).toEqual([
      { transition: 'CLOSED', quantity: '4', fee: '0.4' },
      { transition: 'OPENED', quantity: '6', fee: '0.6' },
    ]);
    const outbox = await h.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM messaging_outbox WHERE event_type = 'position.updated' AND strpos(payload, ?) > 0",
      [flip.orderId],
    );
    expect(outbox[0]?.n).toBe('2');
  });

  it('enforces the lifecycle states and modes in the database', async () => {
    await expect(
      h.query("INSERT INTO position_lifecycles (lifecycle_id, account_id, owner_id, symbol, mode, state, created_at, updated_at) VALUES (?, 'a', 'u', 'X', 'NETTING', 'PENDING', now(), now())", [randomUUID()]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      h.query("INSERT INTO position_lifecycles (lifecycle_id, account_id, owner_id, symbol, mode, state, created_at, updated_at) VALUES (?, 'a', 'u', 'X', 'NETTING', 'OPEN', now(), now())", [randomUUID()]),
    ).rejects.toThrow(/check constraint/);
    await expect(h.query("UPDATE positions SET mode = 'HEDGING', trade_id = NULL WHERE symbol = 'MODE'")).rejects.toThrow(/check constraint/);
  });

  it('processes a repeated order.filled once', async () => {
    const event = orderFilled({ symbol: 'ONCE', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '5' });
    expect(await h.positions.process(event, inbox(event.eventId, 'order.filled'))).toBe('APPLIED');
    expect(await h.positions.process(event, inbox(event.eventId, 'order.filled'))).toBe('ALREADY_PROCESSED');
    expect(await h.positions.process({ ...event, eventId: randomUUID() }, inbox(randomUUID(), 'order.filled'))).toBe('DUPLICATE_EXECUTION');
  });
});
