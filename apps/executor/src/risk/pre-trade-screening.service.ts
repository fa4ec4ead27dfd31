import { Inject, Injectable } from '@nestjs/common';
import { BROKER, type BrokerPort, type MarketClock } from '@tlp/broker';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import type { OrderIntent } from '../decisions/order-intent';
import { checkPreTrade, type PreTradeOutcome } from './pre-trade-checks';
import { rulesFor } from './instrument-rules';
import type { RiskLimits } from './risk-limits';

export const RISK_SETTINGS = Symbol('RISK_SETTINGS');

export interface RiskSettings {
  readonly limits: RiskLimits;
  /** Off only where orders may queue for the next session on purpose (and in tests). */
  readonly requireMarketOpen: boolean;
}

const CLOCK_CACHE_MS = 30_000;

/**
 * Gathers what the pre-trade checks need from the broker (market clock, reference quote, the
 * account's position and open orders in the symbol) and runs them. Broker truth, not local state:
 * a trade is active on a symbol while the broker holds a position in it or an order on it is open.
 */
@Injectable()
export class PreTradeScreeningService {
  private clockCache: { at: number; clock: MarketClock } | null = null;

  constructor(
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    @Inject(RISK_SETTINGS) private readonly settings: RiskSettings,
  ) {}

  /**
   * `amending`: the intent replaces the trade's own working order, so that order (and the position it
   * may have opened) is not "another active trade" on the symbol.
   */
  async screen(intent: OrderIntent, options: { amending?: boolean } = {}): Promise<PreTradeOutcome> {
    const [marketOpen, referencePrice, positionQuantity, openOrderOnSymbol] = await Promise.all([
      this.marketOpen(intent),
      intent.orderType === 'LIMIT' ? Promise.resolve(null) : this.referencePrice(intent.symbol),
      this.positionQuantity(intent.symbol),
      this.openOrderOn(intent.symbol),
    ]);
    return checkPreTrade(intent, {
      limits: this.settings.limits,
      rules: rulesFor(intent.assetClass),
      marketOpen,
      referencePrice,
      currentPositionQuantity: positionQuantity,
      activeTradeOnSymbol: !options.amending && (!positionQuantity.isZero() || openOrderOnSymbol),
    });
  }

  private async marketOpen(intent: OrderIntent): Promise<boolean> {
    if (!this.settings.requireMarketOpen || intent.assetClass === 'CRYPTO') return true;
    const now = this.clock.now().getTime();
    if (!this.clockCache || now - this.clockCache.at > CLOCK_CACHE_MS) this.clockCache = { at: now, clock: await this.broker.getClock() };
    return this.clockCache.clock.isOpen;
  }

  private async referencePrice(symbol: string): Promise<Decimal | null> {
    const quote = (await this.broker.getLatestQuotes([symbol])).get(symbol);
    if (!quote) return null;
    if (quote.bid && quote.ask) return quote.bid.plus(quote.ask).dividedBy(2);
    return quote.ask ?? quote.bid;
  }

  private async positionQuantity(symbol: string): Promise<Decimal> {
    const position = (await this.broker.listPositions()).find((p) => p.symbol === symbol);
    return position ? position.quantity : new Decimal(0);
  }

  private async openOrderOn(symbol: string): Promise<boolean> {
    return (await this.broker.listOrders({ status: 'open', limit: 500 })).some((o) => o.symbol === symbol);
  }
}
