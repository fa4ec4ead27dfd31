/**
 * Net positions built from fills. Invariants: quantity is the signed sum of filled quantities
 * (buys positive); a position at zero is removed; the average entry price is the VWAP of the fills
 * that opened the current side, unchanged by reductions and reset at the fill price when a fill
 * takes the position through zero.
 */
import { Decimal } from 'decimal.js';

export interface Position {
  symbol: string;
  /** Signed: negative when short. */
  qty: Decimal;
  avgEntryPrice: Decimal;
}

/** The position after one execution (`qty` positive; `side` gives the sign), or null when flat. */
export function applyFill(
  position: Position | null,
  symbol: string,
  side: 'buy' | 'sell',
  qty: Decimal,
  price: Decimal,
): Position | null {
  const signed = side === 'buy' ? qty : qty.neg();
  const current = position?.qty ?? new Decimal(0);
  const next = current.plus(signed);
  if (next.isZero()) return null;
  const sameDirection = current.isZero() || current.isNegative() === signed.isNegative();
  if (sameDirection) {
    const cost = current.abs().times(position?.avgEntryPrice ?? 0).plus(qty.times(price));
    return { symbol, qty: next, avgEntryPrice: cost.div(next.abs()) };
  }
  const flipped = next.isNegative() !== current.isNegative();
  return { symbol, qty: next, avgEntryPrice: flipped ? price : (position?.avgEntryPrice ?? price) };
}

export class PositionBook {
  private positions = new Map<string, Position>();

  apply(symbol: string, side: 'buy' | 'sell', qty: Decimal, price: Decimal): Decimal {
    const next = applyFill(this.positions.get(symbol) ?? null, symbol, side, qty, price);
    if (next) this.positions.set(symbol, next);
    else this.positions.delete(symbol);
    return next?.qty ?? new Decimal(0);
  }

  get(symbol: string): Position | undefined {
    return this.positions.get(symbol);
  }

  all(): Position[] {
    return [...this.positions.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  clear(): void {
    this.positions = new Map();
  }
}
