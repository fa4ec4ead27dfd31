import { randomUUID } from 'node:crypto';
import { PositionRelinkRequestedV1, type OrderFilledV1 } from '@tlp/contracts';
import { inbox, orderFilled, PositionMonitorHarness, type OrderSpec } from '../test/position-monitor.harness';
import { RelinkService } from './relink.service';

describe('relink commands against PostgreSQL', () => {
  let h: PositionMonitorHarness;
  let relinks: RelinkService;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_relink');
    relinks = new RelinkService(h.orm, h.repository, h.positions, h.metrics);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const apply = async (event: OrderFilledV1) => h.positions.process(event, inbox(event.eventId, 'order.filled'));
  const request = (fill: OrderFilledV1, positionId: string, overrides: Partial<PositionRelinkRequestedV1['payload']> = {}) => {
    const event = PositionRelinkRequestedV1.schema.parse({
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
    return relinks.process(event, inbox(event.eventId, 'position.relink-requested'));
  };
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
});
