import { Decimal } from 'decimal.js';
import { ExactSum } from './exact-sum';

/**
 * The audit trail of one position lifecycle: its orders and fills in time order, and whether the
 * stored quantity (and fees) agree with the fills. Invariant checked, never assumed: the position's
 * signed quantity (LONG +, SHORT -, FLAT 0) equals the signed sum of the fill parts applied to it
 * (BUY +, SELL -); fees paid equal the sum of those parts' fees. Pure; decimals in, strings out.
 */

export interface AuditPosition {
  readonly positionId: string;
  readonly side: 'LONG' | 'SHORT' | 'FLAT';
  readonly quantity: string;
  readonly feesPaid: string;
}

/** Times are ISO-8601 UTC with milliseconds (`2026-03-02T14:30:00.000Z`), so text order is time order. */
export interface AuditOrderRow {
  readonly orderId: string;
  readonly purpose: string;
  readonly linkedAt: string;
}

export interface AuditFillRow {
  readonly executionId: string;
  readonly orderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly transition: string;
  readonly source: string;
  readonly filledAt: string;
}

export interface AuditOrderEntry {
  readonly kind: 'ORDER';
  readonly at: string;
  readonly orderId: string;
  readonly purpose: string;
  readonly side: 'BUY' | 'SELL' | null;
  readonly filledQuantity: string;
  readonly averageFillPrice: string | null;
  readonly fees: string;
  readonly fillCount: number;
}

export interface AuditFillEntry {
  readonly kind: 'FILL';
  readonly at: string;
  readonly executionId: string;
  readonly orderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly transition: string;
  readonly source: string;
}

export interface AuditSummary {
  readonly orderCount: number;
  readonly fillCount: number;
  /** The position's quantity with its sign: LONG positive, SHORT negative, FLAT zero. */
  readonly signedQuantity: string;
  /** Sum of the fill parts applied to this lifecycle, BUY positive, SELL negative. */
  readonly signedFillQuantity: string;
  readonly quantityConsistent: boolean;
  readonly feesPaid: string;
  readonly feesOfFills: string;
  readonly feesConsistent: boolean;
}

export interface AuditTrail {
  readonly positionId: string;
  readonly entries: readonly (AuditOrderEntry | AuditFillEntry)[];
  readonly summary: AuditSummary;
}

const plain = (d: Decimal): string => d.toFixed();

function orderEntry(order: AuditOrderRow, fills: readonly AuditFillRow[]): AuditOrderEntry {
  const only = fills.length === 1 ? fills[0] : undefined;
  if (only !== undefined) {
    return {
      kind: 'ORDER',
      at: only.filledAt < order.linkedAt ? only.filledAt : order.linkedAt,
      orderId: order.orderId,
      purpose: order.purpose,
      side: only.side,
      filledQuantity: only.quantity,
      averageFillPrice: only.price,
      fees: only.fee,
      fillCount: 1,
    };
  }
  const quantity = fills.reduce((sum, f) => sum.plus(f.quantity), new Decimal(0));
  const notional = fills.reduce((sum, f) => sum.plus(new Decimal(f.quantity).times(f.price)), new Decimal(0));
  const fees = fills.reduce((sum, f) => sum.plus(f.fee), new Decimal(0));
  const first = fills.reduce((min, f) => (f.filledAt < min ? f.filledAt : min), order.linkedAt);
  const sides = new Set(fills.map((f) => f.side));
  return {
    kind: 'ORDER',
    at: first,
    orderId: order.orderId,
    purpose: order.purpose,
    side: sides.size === 1 ? [...sides][0]! : null,
    filledQuantity: plain(quantity),
    averageFillPrice: quantity.isZero() ? null : plain(notional.dividedBy(quantity)),
    fees: plain(fees),
    fillCount: fills.length,
  };
}

/** Decimals pass through as PostgreSQL's numeric text, which is already plain notation. */
function fillEntry(fill: AuditFillRow): AuditFillEntry {
  return {
    kind: 'FILL',
    at: fill.filledAt,
    executionId: fill.executionId,
    orderId: fill.orderId,
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    transition: fill.transition,
    source: fill.source,
  };
}

const byTime = (a: AuditOrderEntry | AuditFillEntry, b: AuditOrderEntry | AuditFillEntry): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind === b.kind ? 0 : a.kind === 'ORDER' ? -1 : 1;

/** Builds the trail. An order that filled into the position without a link row is listed from its fills. */
export function buildAuditTrail(position: AuditPosition, orders: readonly AuditOrderRow[], fills: readonly AuditFillRow[]): AuditTrail {
  const fillsByOrder = new Map<string, AuditFillRow[]>();
  for (const fill of fills) {
    const own = fillsByOrder.get(fill.orderId);
    if (own) own.push(fill);
    else fillsByOrder.set(fill.orderId, [fill]);
  }
  const known = new Map(orders.map((o) => [o.orderId, o]));
  for (const [orderId, own] of fillsByOrder) {
    if (!known.has(orderId)) known.set(orderId, { orderId, purpose: 'UNLINKED', linkedAt: own[0]!.filledAt });
  }
  const orderEntries = [...known.values()].map((o) => orderEntry(o, fillsByOrder.get(o.orderId) ?? []));
  const entries = [...orderEntries, ...fills.map(fillEntry)].sort(byTime);
  return { positionId: position.positionId, entries, summary: summarize(position, known.size, fills) };
}

function summarize(position: AuditPosition, orderCount: number, fills: readonly AuditFillRow[]): AuditSummary {
  const quantity = new Decimal(position.quantity);
  const signedQuantity = position.side === 'LONG' ? quantity : position.side === 'SHORT' ? quantity.negated() : new Decimal(0);
  const signedFills = new ExactSum();
  const fees = new ExactSum();
  for (const f of fills) {
    signedFills.add(f.quantity, f.side !== 'BUY');
    fees.add(f.fee);
  }
  const signedFillQuantity = signedFills.toDecimal();
  const feesOfFills = fees.toDecimal();
  return {
    orderCount,
    fillCount: fills.length,
    signedQuantity: plain(signedQuantity),
    signedFillQuantity: plain(signedFillQuantity),
    quantityConsistent: signedQuantity.eq(signedFillQuantity) && (position.side !== 'FLAT' || quantity.isZero()),
    feesPaid: plain(new Decimal(position.feesPaid)),
    feesOfFills: plain(feesOfFills),
    feesConsistent: feesOfFills.eq(position.feesPaid),
  };
}
