import { randomUUID } from 'node:crypto';
import { inbox, orderFilled, PositionMonitorHarness } from '../test/position-monitor.harness';

const OPEN_ID = randomUUID();
const CLOSED_ID = randomUUID();

/** Rows as the 0001 schema wrote them: one open long of 10 UPG at 100, one closed UPC. */
async function seedV1(execute: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  const insert = `INSERT INTO positions (position_id, account_id, owner_id, symbol, asset_class, multiplier, trade_id, status, side, quantity,
      average_entry_price, open_cost, entry_quantity, entry_notional, closed_quantity, exit_notional, average_exit_price,
      realized_pnl_gross, fees_paid, opened_at, closed_at, revision, updated_at)
    VALUES (?, 'acc-int', 'user-int', ?, 'EQUITY', 1, NULL, ?, ?, ?, 100, ?, 10, 1000, ?, ?, ?, ?, 0, '2026-03-01T15:00:00Z', ?, 1, '2026-03-01T15:00:00Z')`;
  await execute(insert, [OPEN_ID, 'UPG', 'OPEN', 'LONG', '10', '1000', '0', '0', null, '0', null]);
  await execute(insert, [CLOSED_ID, 'UPC', 'CLOSED', 'FLAT', '0', '0', '10', '1050', '105', '50', '2026-03-01T16:00:00Z']);
  await execute(`INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at)
    VALUES ('exec-v1-open', ?, ?, 'BUY', 10, 100, 0, 'OPENED', '2026-03-01T15:00:00Z')`, [randomUUID(), OPEN_ID]);
}

describe('upgrade: positions written before migration 0002 keep working', () => {
  let h: PositionMonitorHarness;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_upgrade', undefined, { migratedTo: '0001-initial', seed: seedV1 });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const lifecycleOf = async (positionId: string) => {
    const [row] = await h.query<{ lifecycle_id: string; state: string }>('SELECT lifecycle_id, state FROM position_lifecycles WHERE position_id = ?', [positionId]);
    return row;
  };

  it('backfills an OPEN and a CLOSED lifecycle, each with one BACKFILLED history row', async () => {
    expect(await lifecycleOf(OPEN_ID)).toEqual({ lifecycle_id: OPEN_ID, state: 'OPEN' });
    expect(await lifecycleOf(CLOSED_ID)).toEqual({ lifecycle_id: CLOSED_ID, state: 'CLOSED' });
    const history = await h.query<{ lifecycle_id: string; to_state: string; cause: string }>(
      'SELECT lifecycle_id, to_state, cause FROM position_lifecycle_history ORDER BY to_state',
    );
    expect(history).toEqual([
      { lifecycle_id: CLOSED_ID, to_state: 'CLOSED', cause: 'BACKFILLED' },
      { lifecycle_id: OPEN_ID, to_state: 'OPEN', cause: 'BACKFILLED' },
    ]);
  });

  it('reduces and closes the old open position with the next fills', async () => {
    const exit = { orderId: randomUUID(), symbol: 'UPG', purpose: 'EXIT', side: 'SELL', quantity: '10' } as const;
    for (const [lastQuantity, price] of [['4', '101.5'], ['6', '102']] as const) {
      const event = orderFilled(exit, { lastQuantity, price });
      await h.positions.process(event, inbox(event.eventId, 'order.filled'));
    }
    const [position] = await h.query<{ status: string; quantity: string; realized_pnl_gross: string }>(
      'SELECT status, quantity::text, realized_pnl_gross::text FROM positions WHERE position_id = ?',
      [OPEN_ID],
    );
    expect(position).toEqual({ status: 'CLOSED', quantity: '0', realized_pnl_gross: '18' });
    const moves = await h.query<{ from_state: string | null; to_state: string }>('SELECT from_state, to_state FROM position_lifecycle_history WHERE lifecycle_id = ? ORDER BY seq', [OPEN_ID]);
    expect(moves.map((m) => `${m.from_state ?? '-'}>${m.to_state}`)).toEqual(['->OPEN', 'OPEN>CLOSING', 'CLOSING>CLOSED']);
  });
});
