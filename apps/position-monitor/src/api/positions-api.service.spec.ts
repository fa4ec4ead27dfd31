import { describe, expect, it } from '@jest/globals';
import type { PositionRow } from './positions-api.repository';
import { positionView } from './positions-api.service';

const option: PositionRow = {
  position_id: '0b6f2a1e-8d3c-4c5e-9a7b-1f2e3d4c5b6a', account_id: 'acc', owner_id: 'alice', symbol: 'AAPL260320C00200000',
  asset_class: 'OPTION', multiplier: '100', mode: 'NETTING', trade_id: null, status: 'OPEN', side: 'LONG',
  quantity: '2', average_entry_price: '1.5', open_cost: '3', entry_quantity: '3', entry_notional: '4.5', closed_quantity: '1',
  exit_notional: '2', average_exit_price: '2', realized_pnl_gross: '50', fees_paid: '1.95', mark_price: '1.75', market_value: '350',
  unrealized_pnl: '50', marked_at: new Date('2026-03-02T15:00:00Z'), exit_reason: null, opened_at: new Date('2026-03-02T14:00:00Z'),
  closed_at: null, revision: 4, updated_at: new Date('2026-03-02T15:00:00Z'), note: null, lifecycle_state: 'MONITORING',
};

describe('positionView', () => {
  it('given an option position, values entry and exit times the multiplier and derives net P&L and percent', () => {
    expect(positionView(option)).toMatchObject({
      multiplier: '100', entryValue: '450', exitValue: '200', realizedPnlGross: '50', feesPaid: '1.95',
      realizedPnlNet: '48.05', realizedPnlPercent: '32.033333333333333333', unrealizedPnl: '50', lifecycleState: 'MONITORING',
      openedAt: '2026-03-02T14:00:00.000Z', closedAt: null,
    });
  });

  it('has no percent while nothing is closed and prints decimals without exponents', () => {
    const fresh = { ...option, closed_quantity: '0', entry_quantity: '2', entry_notional: '3', exit_notional: '0', average_exit_price: null, realized_pnl_gross: '0', fees_paid: '0.0000001' };
    expect(positionView(fresh)).toMatchObject({ realizedPnlPercent: null, feesPaid: '0.0000001', realizedPnlNet: '-0.0000001' });
  });
});
