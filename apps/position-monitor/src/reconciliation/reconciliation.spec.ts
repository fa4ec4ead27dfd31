import { Decimal } from 'decimal.js';
import { applyFill } from '../positions/position-accounting';
import type { PositionState } from '../positions/position';
import { reconcilePositions, type PlatformPositionView } from './reconciliation';

const d = (v: string) => new Decimal(v);

function held(id: string, symbol: string, side: 'BUY' | 'SELL', quantity: string, price = '100'): PositionState {
  const result = applyFill(
    null,
    { executionId: `x-${id}`, orderId: 'o1', side, quantity: d(quantity), price: d(price), fee: d('0'), at: new Date('2026-03-02T15:00:00Z') },
    { accountId: 'a', ownerId: 'u', symbol, assetClass: 'EQUITY', multiplier: d('1'), tradeId: null, newPositionId: () => id },
  );
  if (result.kind !== 'APPLIED' || !result.changes[0]) throw new Error('not applied');
  return result.changes[0].position;
}

const view = (position: PositionState, exitOrderPrice: string | null = null): PlatformPositionView => ({
  position,
  lastPrice: d('101'),
  exitOrderPrice: exitOrderPrice === null ? null : d(exitOrderPrice),
});

/** Runs twice with the same input: the first run only notes the differences, the second acts. */
function confirmed(broker: Parameters<typeof reconcilePositions>[0], platform: PlatformPositionView[]) {
  const first = reconcilePositions(broker, platform, new Map());
  if (first.kind !== 'RECONCILED') return first;
  return reconcilePositions(broker, platform, first.pending);
}

describe('reconciliation with the broker', () => {
  it('treats a failed broker query as unknown, never flat', () => {
    const result = reconcilePositions({ ok: false, detail: 'HTTP 503' }, [view(held('p1', 'AAPL', 'BUY', '10'))], new Map([['AAPL', '0|10']]));
    expect(result).toEqual({ kind: 'UNKNOWN', detail: 'HTTP 503' });
  });

  it('changes nothing when quantities agree', () => {
    const result = confirmed({ ok: true, positions: [{ symbol: 'AAPL', quantity: d('10'), currentPrice: d('101') }] }, [view(held('p1', 'AAPL', 'BUY', '10'))]);
    expect(result).toEqual({ kind: 'RECONCILED', actions: [], pending: new Map() });
  });

  it('acts only on a difference seen by two runs in a row', () => {
    const first = reconcilePositions({ ok: true, positions: [] }, [view(held('p1', 'AAPL', 'BUY', '10'))], new Map());
    expect(first).toMatchObject({ kind: 'RECONCILED', actions: [] });
    const changed = reconcilePositions({ ok: true, positions: [] }, [view(held('p1', 'AAPL', 'BUY', '12'))], first.kind === 'RECONCILED' ? first.pending : new Map());
    expect(changed).toMatchObject({ kind: 'RECONCILED', actions: [] });
  });

  it('closes a position gone at the broker at a known exit order price, else the last price', () => {
    const result = confirmed({ ok: true, positions: [] }, [view(held('p1', 'AAPL', 'BUY', '10'), '99.5'), view(held('p2', 'MSFT', 'SELL', '5'))]);
    expect(result).toMatchObject({
      kind: 'RECONCILED',
      actions: [
        { kind: 'MANUAL_EXIT', symbol: 'AAPL', positionId: 'p1', price: d('99.5'), priceSource: 'EXIT_ORDER' },
        { kind: 'MANUAL_EXIT', symbol: 'MSFT', positionId: 'p2', price: d('101'), priceSource: 'LAST_PRICE' },
      ],
    });
  });

  it('adjusts a quantity difference by the signed difference at the broker price', () => {
    const result = confirmed({ ok: true, positions: [{ symbol: 'AAPL', quantity: d('7'), currentPrice: d('102') }] }, [view(held('p1', 'AAPL', 'BUY', '10'))]);
    expect(result).toMatchObject({ kind: 'RECONCILED', actions: [{ kind: 'QUANTITY_ADJUSTED', positionId: 'p1', side: 'SELL', quantity: d('3'), price: d('102') }] });
    const short = confirmed({ ok: true, positions: [{ symbol: 'AAPL', quantity: d('-2'), currentPrice: null }] }, [view(held('p1', 'AAPL', 'SELL', '5'))]);
    expect(short).toMatchObject({ kind: 'RECONCILED', actions: [{ kind: 'QUANTITY_ADJUSTED', side: 'BUY', quantity: d('3'), price: d('101') }] });
  });

  it('reports a broker position the platform does not know, and an ambiguous hedging difference', () => {
    const result = confirmed(
      { ok: true, positions: [{ symbol: 'SPY', quantity: d('4'), currentPrice: d('500') }, { symbol: 'AAPL', quantity: d('3'), currentPrice: d('100') }] },
      [view(held('p1', 'AAPL', 'BUY', '1')), view(held('p2', 'AAPL', 'BUY', '1'))],
    );
    expect(result).toMatchObject({
      kind: 'RECONCILED',
      actions: [
        { kind: 'AMBIGUOUS_DIFFERENCE', symbol: 'AAPL', brokerQuantity: d('3'), platformQuantity: d('2') },
        { kind: 'UNKNOWN_AT_PLATFORM', symbol: 'SPY', brokerQuantity: d('4') },
      ],
    });
  });
});
