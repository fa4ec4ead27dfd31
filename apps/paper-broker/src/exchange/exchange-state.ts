/** Everything the simulated venue remembers; all of it in memory, all of it cleared by a reset. */
import type { Decimal } from 'decimal.js';
import { ActivityLog } from '../activities/activity-log';
import { SimulatedMarket } from '../market/simulated-market';
import { OrderBook } from '../orders/order-book';
import { PositionBook } from '../positions/position-book';

export class ExchangeState {
  readonly orders = new OrderBook();
  readonly positions = new PositionBook();
  readonly activities = new ActivityLog();
  readonly market: SimulatedMarket;

  constructor(seed: string, initialPrices: ReadonlyMap<string, Decimal>) {
    this.market = new SimulatedMarket(seed, initialPrices);
  }

  reset(): void {
    this.orders.clear();
    this.positions.clear();
    this.activities.clear();
    this.market.reset();
  }
}
