/**
 * Reconciliation of one account's open positions with the broker's. Pure.
 *
 * Rules:
 * - The broker query failed: UNKNOWN. Nothing is closed or adjusted: a failed query never means flat.
 * - Broker flat (no position) in a symbol where the platform holds open positions: each is closed
 *   (MANUAL_EXIT) at the average price of a filled exit order known for it, else its last price
 *   (mark, else the last fill price).
 * - Both hold the symbol with different signed quantities: with exactly one open platform position,
 *   an external adjustment fill of the difference (BUY when the broker holds more) at the broker's
 *   current price, else the position's last price; with several (hedging mode), the difference is
 *   reported AMBIGUOUS_DIFFERENCE and nothing changes.
 * - The broker holds a symbol the platform does not: reported UNKNOWN_AT_PLATFORM.
 * - A change is made only when the same difference (same broker and platform quantities) was already
 *   seen by the previous run, so a fill still on its way through Kafka is not counted twice.
 */
import { Decimal } from 'decimal.js';
import { calculateSignedQuantity, exact, settle, type PositionState } from '../positions/position';

export interface BrokerPositionView {
  readonly symbol: string;
  /** Signed: negative for a short. */
  readonly quantity: Decimal;
  readonly currentPrice: Decimal | null;
}

export interface PlatformPositionView {
  readonly position: PositionState;
  /** Last known price: the mark, else the last fill price. */
  readonly lastPrice: Decimal;
  /** Average price of a filled exit order of this position, if one is known. */
  readonly exitOrderPrice: Decimal | null;
}

export type ReconciliationAction =
  | { readonly kind: 'MANUAL_EXIT'; readonly symbol: string; readonly positionId: string; readonly price: Decimal; readonly priceSource: 'EXIT_ORDER' | 'LAST_PRICE'; readonly platformQuantity: Decimal }
  | { readonly kind: 'QUANTITY_ADJUSTED'; readonly symbol: string; readonly positionId: string; readonly side: 'BUY' | 'SELL'; readonly quantity: Decimal; readonly price: Decimal; readonly brokerQuantity: Decimal; readonly platformQuantity: Decimal }
  | { readonly kind: 'AMBIGUOUS_DIFFERENCE'; readonly symbol: string; readonly brokerQuantity: Decimal; readonly platformQuantity: Decimal }
  | { readonly kind: 'UNKNOWN_AT_PLATFORM'; readonly symbol: string; readonly brokerQuantity: Decimal };

export type ReconciliationResult =
  | { readonly kind: 'UNKNOWN'; readonly detail: string }
  | {
      readonly kind: 'RECONCILED';
      readonly actions: readonly ReconciliationAction[];
      /** Differences seen this run and not acted on yet, keyed by symbol; pass to the next run. */
      readonly pending: ReadonlyMap<string, string>;
    };

export type BrokerPositionsQuery = { readonly ok: true; readonly positions: readonly BrokerPositionView[] } | { readonly ok: false; readonly detail: string };

export function reconcilePositions(
  broker: BrokerPositionsQuery,
  platform: readonly PlatformPositionView[],
  previouslyPending: ReadonlyMap<string, string>,
): ReconciliationResult {
  if (!broker.ok) return { kind: 'UNKNOWN', detail: broker.detail };
  const bySymbol = new Map<string, PlatformPositionView[]>();
  for (const view of platform) bySymbol.set(view.position.symbol, [...(bySymbol.get(view.position.symbol) ?? []), view]);
  const brokerBySymbol = new Map(broker.positions.map((p) => [p.symbol, p]));
  const actions: ReconciliationAction[] = [];
  const pending = new Map<string, string>();
  for (const symbol of new Set([...bySymbol.keys(), ...brokerBySymbol.keys()])) {
    const views = bySymbol.get(symbol) ?? [];
    const held = brokerBySymbol.get(symbol);
    const brokerQuantity = held === undefined ? new Decimal(0) : settle(held.quantity);
    const platformQuantity = settle(views.reduce((sum, v) => sum.plus(calculateSignedQuantity(v.position)), exact(0)));
    if (brokerQuantity.equals(platformQuantity)) continue;
    const signature = `${brokerQuantity.toFixed()}|${platformQuantity.toFixed()}`;
    if (previouslyPending.get(symbol) !== signature) {
      pending.set(symbol, signature);
      continue;
    }
    actions.push(...actionsFor(symbol, views, held, brokerQuantity, platformQuantity));
  }
  return { kind: 'RECONCILED', actions, pending };
}

function actionsFor(
  symbol: string,
  views: readonly PlatformPositionView[],
  held: BrokerPositionView | undefined,
  brokerQuantity: Decimal,
  platformQuantity: Decimal,
): ReconciliationAction[] {
  if (views.length === 0) return [{ kind: 'UNKNOWN_AT_PLATFORM', symbol, brokerQuantity }];
  if (brokerQuantity.isZero()) {
    return views.map((v) => ({
      kind: 'MANUAL_EXIT',
      symbol,
      positionId: v.position.positionId,
      price: v.exitOrderPrice ?? v.lastPrice,
      priceSource: v.exitOrderPrice === null ? 'LAST_PRICE' : 'EXIT_ORDER',
      platformQuantity: calculateSignedQuantity(v.position),
    }));
  }
  const [only] = views;
  if (views.length > 1 || only === undefined) return [{ kind: 'AMBIGUOUS_DIFFERENCE', symbol, brokerQuantity, platformQuantity }];
  const difference = settle(exact(brokerQuantity).minus(platformQuantity));
  const price = held?.currentPrice !== null && held?.currentPrice !== undefined && held.currentPrice.gt(0) ? held.currentPrice : only.lastPrice;
  return [
    {
      kind: 'QUANTITY_ADJUSTED',
      symbol,
      positionId: only.position.positionId,
      side: difference.gt(0) ? 'BUY' : 'SELL',
      quantity: difference.abs(),
      price,
      brokerQuantity,
      platformQuantity,
    },
  ];
}
