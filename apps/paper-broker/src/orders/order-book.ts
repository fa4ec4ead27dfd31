/**
 * Every order the paper broker ever took, in submission order. Invariants: client order ids are
 * unique for the life of the book (terminal orders keep theirs); submission times are distinct and
 * increasing, so they order the book and bound `after`/`until` queries exactly.
 */
import { isOpen, type ClientOrderId, type OrderId, type PaperOrder, type Side } from './paper-order';

export interface OrderQuery {
  status: 'open' | 'closed' | 'all';
  /** 1..500. */
  limit: number;
  /** Exclusive bounds on the submission time, epoch ns. */
  afterNs: bigint | null;
  untilNs: bigint | null;
  direction: 'asc' | 'desc';
  symbols: ReadonlySet<string> | null;
  side: Side | null;
}

export class OrderBook {
  private byId = new Map<OrderId, PaperOrder>();
  private byClientId = new Map<ClientOrderId, OrderId>();

  add(order: PaperOrder): void {
    if (this.byClientId.has(order.clientOrderId)) throw new Error(`client order id ${order.clientOrderId} reused`);
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order.id);
  }

  update(order: PaperOrder): void {
    if (!this.byId.has(order.id)) throw new Error(`unknown order ${order.id}`);
    this.byId.set(order.id, order);
  }

  get(id: OrderId): PaperOrder | undefined {
    return this.byId.get(id);
  }

  getByClientOrderId(id: ClientOrderId): PaperOrder | undefined {
    const orderId = this.byClientId.get(id);
    return orderId ? this.byId.get(orderId) : undefined;
  }

  hasClientOrderId(id: ClientOrderId): boolean {
    return this.byClientId.has(id);
  }

  all(): PaperOrder[] {
    return [...this.byId.values()];
  }

  list(query: OrderQuery): PaperOrder[] {
    const matches = this.all().filter((order) => matchesQuery(order, query));
    if (query.direction === 'desc') matches.reverse();
    return matches.slice(0, query.limit);
  }

  clear(): void {
    this.byId = new Map();
    this.byClientId = new Map();
  }
}

function matchesQuery(order: PaperOrder, query: OrderQuery): boolean {
  if (query.status === 'open' && !isOpen(order.status)) return false;
  if (query.status === 'closed' && isOpen(order.status)) return false;
  if (query.afterNs !== null && order.submittedAt <= query.afterNs) return false;
  if (query.untilNs !== null && order.submittedAt >= query.untilNs) return false;
  if (query.symbols && !query.symbols.has(order.symbol)) return false;
  if (query.side && order.side !== query.side) return false;
  return true;
}
