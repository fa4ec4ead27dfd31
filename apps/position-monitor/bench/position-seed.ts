import { Decimal } from 'decimal.js';
import type { ClientBase } from 'pg';

/**
 * Writes position lifecycles with their orders and fills straight into the position-monitor tables
 * (as the service's role), consistent with the CHECK constraints, for the API's integration tests
 * and the audit-trail benchmark. Prices and fees are decimal strings.
 */
export interface SeedFill {
  readonly executionId: string;
  readonly orderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly filledAt: Date;
}

export interface SeedPosition {
  readonly positionId: string;
  readonly ownerId: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly openedAt: Date;
  /** Fills in order; the first opens the position, all on one side except closing ones. */
  readonly fills: readonly SeedFill[];
  readonly markPrice?: string;
}

interface Folded {
  side: 'LONG' | 'SHORT' | 'FLAT';
  quantity: Decimal;
  entryQuantity: Decimal;
  entryNotional: Decimal;
  closedQuantity: Decimal;
  exitNotional: Decimal;
  realized: Decimal;
  fees: Decimal;
  transitions: string[];
}

/** Folds fills that never flip (a flip is the accounting's business, not a seed's). */
function fold(fills: readonly SeedFill[]): Folded {
  const f: Folded = { side: 'FLAT', quantity: new Decimal(0), entryQuantity: new Decimal(0), entryNotional: new Decimal(0), closedQuantity: new Decimal(0), exitNotional: new Decimal(0), realized: new Decimal(0), fees: new Decimal(0), transitions: [] };
  const opening = fills[0]?.side;
  for (const fill of fills) {
    const q = new Decimal(fill.quantity);
    const price = new Decimal(fill.price);
    f.fees = f.fees.plus(fill.fee);
    if (fill.side === opening) {
      f.transitions.push(f.quantity.isZero() ? 'OPENED' : 'INCREASED');
      f.quantity = f.quantity.plus(q);
      f.entryQuantity = f.entryQuantity.plus(q);
      f.entryNotional = f.entryNotional.plus(q.times(price));
      f.side = opening === 'BUY' ? 'LONG' : 'SHORT';
      continue;
    }
    if (q.gt(f.quantity)) throw new Error(`seed fill ${fill.executionId} would flip the position`);
    const average = f.entryNotional.dividedBy(f.entryQuantity);
    const perUnit = opening === 'BUY' ? price.minus(average) : average.minus(price);
    f.realized = f.realized.plus(perUnit.times(q));
    f.quantity = f.quantity.minus(q);
    f.closedQuantity = f.closedQuantity.plus(q);
    f.exitNotional = f.exitNotional.plus(q.times(price));
    f.transitions.push(f.quantity.isZero() ? 'CLOSED' : 'REDUCED');
    if (f.quantity.isZero()) f.side = 'FLAT';
  }
  return f;
}

export async function seedPosition(client: ClientBase, seed: SeedPosition): Promise<void> {
  const f = fold(seed.fills);
  const average = f.entryNotional.dividedBy(f.entryQuantity);
  const open = !f.quantity.isZero();
  const last = seed.fills.at(-1)!.filledAt;
  const mark = open && seed.markPrice !== undefined ? new Decimal(seed.markPrice) : undefined;
  const signed = f.side === 'SHORT' ? f.quantity.negated() : f.quantity;
  await client.query(
    `INSERT INTO positions (position_id, account_id, owner_id, symbol, asset_class, multiplier, status, side, quantity,
       average_entry_price, open_cost, entry_quantity, entry_notional, closed_quantity, exit_notional, average_exit_price,
       realized_pnl_gross, fees_paid, mark_price, market_value, unrealized_pnl, marked_at, exit_reason, opened_at, closed_at, revision, updated_at)
     VALUES ($1, $2, $3, $4, 'EQUITY', 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
    [
      seed.positionId, seed.accountId, seed.ownerId, seed.symbol, open ? 'OPEN' : 'CLOSED', f.side, f.quantity.toFixed(),
      open ? average.toFixed() : '0', open ? average.times(f.quantity).toFixed() : '0', f.entryQuantity.toFixed(), f.entryNotional.toFixed(),
      f.closedQuantity.toFixed(), f.exitNotional.toFixed(), f.closedQuantity.isZero() ? null : f.exitNotional.dividedBy(f.closedQuantity).toFixed(),
      f.realized.toFixed(), f.fees.toFixed(), mark?.toFixed() ?? null, mark?.times(signed).toFixed() ?? null,
      mark ? mark.minus(average).times(signed).toFixed() : null, mark ? last : null, open ? null : 'FILLS',
      seed.openedAt, open ? null : last, seed.fills.length, last,
    ],
  );
  const rows = seed.fills.map((fill, i) => [fill.executionId, fill.orderId, seed.positionId, fill.side, fill.quantity, fill.price, fill.fee, f.transitions[i], fill.filledAt]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map((_, r) => `(${Array.from({ length: 9 }, (__, c) => `$${r * 9 + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at) VALUES ${values}`, chunk.flat());
  }
  const opening = seed.fills[0]?.side;
  const orders = [...new Map(seed.fills.map((fill) => [fill.orderId, fill])).values()];
  for (let i = 0; i < orders.length; i += 1000) {
    const chunk = orders.slice(i, i + 1000);
    const values = chunk.map((_, r) => `($${r * 4 + 1}::uuid, $${r * 4 + 2}::uuid, $${r * 4 + 3}, NULL, $${r * 4 + 4}::timestamptz)`).join(', ');
    await client.query(
      `INSERT INTO position_orders (order_id, position_id, purpose, trade_id, linked_at) VALUES ${values}`,
      chunk.flatMap((fill) => [fill.orderId, seed.positionId, fill.side === opening ? 'ENTRY' : 'EXIT', fill.filledAt]),
    );
  }
}
