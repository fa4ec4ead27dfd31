import { randomUUID } from 'node:crypto';
import { PositionRelinkRequestedV1, type OrderFilledV1 } from '@tlp/contracts';
import { inbox, orderFilled, PositionMonitorHarness, type OrderSpec } from '../test/position-monitor.harness';
import { RelinkService } from './relink.service';

describe('relink commands against PostgreSQL', () => {
  let h: PositionMonitorHarness;
  let relinks: RelinkService;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_relink', { defaultMode: 'NETTING', hedgingAccounts: ['acc-hedge'], nettingAccounts: [] });
    relinks = new RelinkService(h.orm, h.clock, h.repository, h.positions, h.metrics);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const apply = async (event: OrderFilledV1) => h.positions.process(event, inbox(event.eventId, 'order.filled'));
  const carried = (fill: OrderFilledV1) => {
    const p = fill.payload;
    return { executionId: p.executionId, tradeId: p.tradeId, purpose: p.purpose, side: p.side, quantity: p.lastQuantity, price: p.lastPrice, averagePrice: p.averagePrice, fee: p.fee, filledAt: p.filledAt };
  };
  const command = (fill: OrderFilledV1, positionId: string, overrides: Partial<PositionRelinkRequestedV1['payload']> = {}) =>
    PositionRelinkRequestedV1.schema.parse({
      eventId: randomUUID(),
      type: 'position.relink-requested',
      version: 1,
      occurredAt: '2026-03-02T15:10:00.000Z',
      producer: 'data-quality',
      correlationId: randomUUID(),
      causationId: null,
      payload: {
        requestId: randomUUID(),
        accountId: fill.payload.accountId,
        ownerId: fill.payload.ownerId,
        instrument: fill.payload.instrument,
        orderId: fill.payload.orderId,
        executionIds: [fill.payload.executionId],
        positionId,
        rule: 'SINGLE_CANDIDATE_POSITION',
        reason: 'test',
        findingId: randomUUID(),
        requestedAt: '2026-03-02T15:10:00.000Z',
        ...overrides,
      },
    });
  const execute = (event: PositionRelinkRequestedV1) => relinks.process(event, inbox(event.eventId, 'position.relink-requested'));
  const audit = async (orderId: string) =>
    h.query<{ outcome: string; detail: string | null; rule: string; reason: string; applied: unknown }>('SELECT outcome, detail, rule, reason, applied FROM position_relinks WHERE order_id = ? ORDER BY processed_at, outcome', [orderId]);
  const request = (fill: OrderFilledV1, positionId: string, overrides: Partial<PositionRelinkRequestedV1['payload']> = {}) => execute(command(fill, positionId, overrides));
  const openPosition = async (symbol: string) => {
    await apply(orderFilled({ symbol, side: 'BUY', quantity: '10' }, { lastQuantity: '10', price: '50' }));
    const [row] = await h.query<{ position_id: string }>("SELECT position_id::text FROM positions WHERE symbol = ? AND status = 'OPEN'", [symbol]);
    return row?.position_id ?? '';
  };
  const relinkEvents = async () => (await h.query<{ n: string }>("SELECT count(*)::text AS n FROM messaging_outbox WHERE strpos(payload, '\"cause\":\"RELINK\"') > 0"))[0]?.n;

  it('parks a fill the accounting refuses, still failing the handler, and refuses to relink it where the accounting disagrees', async () => {
    const positionId = await openPosition('RLA');
    const odd = orderFilled({ symbol: 'RLA', side: 'BUY', quantity: '1', assetClass: 'EQUITY', multiplier: '10' }, { lastQuantity: '1', price: '50' });
    await expect(apply(odd)).rejects.toThrow(/INSTRUMENT_MISMATCH/);
    const [parked] = await h.query<{ refusal: string }>('SELECT refusal FROM unapplied_fills WHERE execution_id = ?', [odd.payload.executionId]);
    expect(parked?.refusal).toMatch(/^INSTRUMENT_MISMATCH/);
    expect(await request(odd, positionId)).toBe('REFUSED_BY_ACCOUNTING');
    expect(await relinkEvents()).toBe('0');
    expect(await audit(odd.payload.orderId)).toEqual([
      { outcome: 'REFUSED_BY_ACCOUNTING', detail: expect.stringMatching(/^INSTRUMENT_MISMATCH/), rule: 'SINGLE_CANDIDATE_POSITION', reason: 'test', applied: [] },
    ]);
  });

  it('links a parked fill to the requested position, publishes position.updated with cause RELINK, and is idempotent', async () => {
    const positionId = await openPosition('RLB');
    const spec: OrderSpec = { symbol: 'RLB', side: 'SELL', quantity: '4', purpose: 'EXIT' };
    const lost = orderFilled(spec, { lastQuantity: '4', price: '55' });
    await h.query(`INSERT INTO unapplied_fills (execution_id, order_id, account_id, symbol, event, refusal, refused_at) VALUES (?, ?, ?, 'RLB', ?, 'TARGET_NOT_OPEN: test', now())`, [
      lost.payload.executionId,
      lost.payload.orderId,
      lost.payload.accountId,
      JSON.stringify(lost),
    ]);
    expect(await request(lost, positionId)).toBe('LINKED');
    const [position] = await h.query<{ quantity: string; realized_pnl_gross: string }>('SELECT quantity::text, realized_pnl_gross::text FROM positions WHERE position_id = ?', [positionId]);
    expect(position).toEqual({ quantity: '6', realized_pnl_gross: '20' });
    const [link] = await h.query<{ source: string; position_id: string }>('SELECT source, position_id::text FROM position_fills WHERE execution_id = ?', [lost.payload.executionId]);
    expect(link).toEqual({ source: 'RELINK', position_id: positionId });
    expect(await relinkEvents()).toBe('1');
    expect(await request(lost, positionId)).toBe('ALREADY_LINKED');
    expect(await relinkEvents()).toBe('1');
  });

  it('refuses a position of another instrument or owner, and a fill it never received, publishing nothing', async () => {
    const positionId = await openPosition('RLC');
    const other = orderFilled({ symbol: 'RLD', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '5' });
    expect(await request(other, positionId)).toBe('REFUSED_POSITION_MISMATCH');
    const unseen = orderFilled({ symbol: 'RLC', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '5' });
    expect(await request(unseen, positionId, { ownerId: 'someone-else' })).toBe('REFUSED_OWNER_MISMATCH');
    expect(await request(unseen, positionId)).toBe('REFUSED_FILL_UNKNOWN');
    expect(await request(unseen, randomUUID())).toBe('REFUSED_UNKNOWN_POSITION');
    expect(await relinkEvents()).toBe('1');
    expect(await h.metric('tlp_position_relinks_total')).toBe(7);
  });

  it('applies a carried fill it never received to the requested position, as a live fill would, once', async () => {
    const positionId = await openPosition('RLE');
    const before = await relinkEvents();
    const lost = orderFilled({ symbol: 'RLE', side: 'BUY', quantity: '5' }, { lastQuantity: '5', price: '56', fee: '1.25' });
    const first = command(lost, positionId, { fills: [carried(lost)] });
    expect(await execute(first)).toBe('LINKED');
    const [position] = await h.query<{ quantity: string; average_entry_price: string; fees_paid: string }>(
      'SELECT quantity::text, average_entry_price::text, fees_paid::text FROM positions WHERE position_id = ?',
      [positionId],
    );
    expect(position).toEqual({ quantity: '15', average_entry_price: '52', fees_paid: '1.25' });
    const links = await h.query<{ source: string; position_id: string; quantity: string; price: string }>(
      'SELECT source, position_id::text, quantity::text, price::text FROM position_fills WHERE execution_id = ?',
      [lost.payload.executionId],
    );
    expect(links).toEqual([{ source: 'RELINK', position_id: positionId, quantity: '5', price: '56' }]);
    const [orderLink] = await h.query<{ position_id: string }>('SELECT position_id::text FROM position_orders WHERE order_id = ?', [lost.payload.orderId]);
    expect(orderLink?.position_id).toBe(positionId);
    const [published] = await h.query<{ payload: string }>("SELECT payload FROM messaging_outbox WHERE strpos(payload, ?) > 0 AND strpos(payload, '\"cause\":\"RELINK\"') > 0", [lost.payload.orderId]);
    const updated = JSON.parse(published?.payload ?? '{}') as { causationId: string; correlationId: string; payload: Record<string, unknown> };
    expect(updated).toMatchObject({ causationId: first.eventId, correlationId: first.correlationId });
    expect(updated.payload).toMatchObject({ positionId, quantity: '15', cause: 'RELINK', orderIds: [lost.payload.orderId], executionIds: [lost.payload.executionId] });
    expect(await audit(lost.payload.orderId)).toEqual([
      { outcome: 'LINKED', detail: null, rule: 'SINGLE_CANDIDATE_POSITION', reason: 'test', applied: [{ executionId: lost.payload.executionId, from: 'CARRIED' }] },
    ]);

    // The same event again (inbox), a re-sent request (new event), and the lost fill arriving after all: nothing changes.
    expect(await execute(first)).toBe('ALREADY_PROCESSED');
    expect(await request(lost, positionId, { fills: [carried(lost)] })).toBe('ALREADY_LINKED');
    expect(await apply(lost)).toBe('DUPLICATE_EXECUTION');
    const [after] = await h.query<{ quantity: string; revision: number }>('SELECT quantity::text, revision FROM positions WHERE position_id = ?', [positionId]);
    expect(after?.quantity).toBe('15');
    expect(await h.query('SELECT 1 FROM position_fills WHERE execution_id = ?', [lost.payload.executionId])).toHaveLength(1);
    expect(Number(await relinkEvents()) - Number(before)).toBe(1);
    expect((await audit(lost.payload.orderId)).map((a) => a.outcome)).toEqual(['ALREADY_LINKED', 'LINKED']);
  });

  it('refuses a carried fill applied to another position already, and a request the accounting refuses in part, changing nothing', async () => {
    const first = await openPosition('RLF');
    const applied = orderFilled({ symbol: 'RLF', side: 'BUY', quantity: '2' }, { lastQuantity: '2', price: '50' });
    await apply(applied);
    await apply(orderFilled({ symbol: 'RLF', side: 'SELL', quantity: '12', purpose: 'EXIT' }, { lastQuantity: '12', price: '52' }));
    const second = await openPosition('RLF');
    expect(second).not.toBe(first);
    const before = await relinkEvents();

    expect(await request(applied, second, { fills: [carried(applied)] })).toBe('REFUSED_LINKED_ELSEWHERE');
    const [refusal] = await audit(applied.payload.orderId);
    expect(refusal).toMatchObject({ outcome: 'REFUSED_LINKED_ELSEWHERE', rule: 'SINGLE_CANDIDATE_POSITION', reason: 'test', applied: [] });
    expect(refusal?.detail).toContain(first);

    // Two fills of one exit order: the first closes the position, so the accounting refuses the second (TARGET_NOT_OPEN): all or nothing.
    const spec: OrderSpec = { symbol: 'RLF', side: 'SELL', quantity: '11', purpose: 'EXIT' };
    const closing = orderFilled(spec, { lastQuantity: '10', price: '53' });
    const beyond = orderFilled({ ...spec, orderId: closing.payload.orderId, tradeId: closing.payload.tradeId }, { lastQuantity: '1', price: '53' });
    const twoFills = command(closing, second, { executionIds: [closing.payload.executionId, beyond.payload.executionId], fills: [carried(closing), carried(beyond)] });
    expect(await execute(twoFills)).toBe('REFUSED_BY_ACCOUNTING');
    const [position] = await h.query<{ quantity: string; status: string }>('SELECT quantity::text, status FROM positions WHERE position_id = ?', [second]);
    expect(position).toEqual({ quantity: '10', status: 'OPEN' });
    expect(await h.query('SELECT 1 FROM position_fills WHERE order_id = ?', [closing.payload.orderId])).toEqual([]);
    expect(await audit(closing.payload.orderId)).toEqual([expect.objectContaining({ outcome: 'REFUSED_BY_ACCOUNTING', detail: expect.stringMatching(/^TARGET_NOT_OPEN/) })]);
    expect(await relinkEvents()).toBe(before);
  });

  it('links to a hedging position only a fill of its own trade', async () => {
    const trade = randomUUID();
    const entry = orderFilled({ accountId: 'acc-hedge', symbol: 'RLI', side: 'BUY', quantity: '4', tradeId: trade }, { lastQuantity: '4', price: '20' });
    await apply(entry);
    const [row] = await h.query<{ position_id: string }>("SELECT position_id::text FROM positions WHERE account_id = 'acc-hedge' AND symbol = 'RLI' AND status = 'OPEN'");
    const positionId = row?.position_id ?? '';
    const otherTrade = orderFilled({ accountId: 'acc-hedge', symbol: 'RLI', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '21' });
    expect(await request(otherTrade, positionId, { fills: [carried(otherTrade)] })).toBe('REFUSED_POSITION_MISMATCH');
    expect((await audit(otherTrade.payload.orderId))[0]?.detail).toContain(trade);
    const sameTrade = orderFilled({ accountId: 'acc-hedge', symbol: 'RLI', side: 'BUY', quantity: '1', tradeId: trade }, { lastQuantity: '1', price: '21' });
    expect(await request(sameTrade, positionId, { fills: [carried(sameTrade)] })).toBe('LINKED');
    const [position] = await h.query<{ quantity: string }>('SELECT quantity::text FROM positions WHERE position_id = ?', [positionId]);
    expect(position?.quantity).toBe('5');
  });

  it('refuses a command without fills for an execution it never received (an older producer)', async () => {
    const positionId = await openPosition('RLH');
    const unseen = orderFilled({ symbol: 'RLH', side: 'BUY', quantity: '1' }, { lastQuantity: '1', price: '5' });
    expect(await request(unseen, positionId)).toBe('REFUSED_FILL_UNKNOWN');
    expect(await audit(unseen.payload.orderId)).toEqual([expect.objectContaining({ outcome: 'REFUSED_FILL_UNKNOWN', detail: expect.stringContaining(unseen.payload.executionId) })]);
  });
});
