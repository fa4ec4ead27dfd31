/** The Alpaca Position object of a paper position, valued at the simulated market price. */
import { Decimal } from 'decimal.js';
import type { AssetClass } from '../orders/paper-order';
import type { Position } from './position-book';

export interface PositionValuation {
  assetId: string;
  assetClass: AssetClass;
  currentPrice: Decimal;
  /** Price at the start of the simulation (the paper broker has no previous close). */
  lastdayPrice: Decimal;
  /** Units held by open orders on the closing side. */
  heldForOrders: Decimal;
}

const RATIO_DECIMALS = 6;
const MONEY_DECIMALS = 4;

export function toAlpacaPosition(position: Position, valuation: PositionValuation): Record<string, unknown> {
  const multiplier = new Decimal(valuation.assetClass === 'us_option' ? 100 : 1);
  const { qty, avgEntryPrice } = position;
  const marketValue = qty.times(valuation.currentPrice).times(multiplier);
  const costBasis = qty.times(avgEntryPrice).times(multiplier);
  const unrealized = marketValue.minus(costBasis);
  const unrealizedPct = costBasis.isZero() ? new Decimal(0) : unrealized.div(costBasis.abs());
  const intraday = qty.times(valuation.currentPrice.minus(valuation.lastdayPrice)).times(multiplier);
  const lastdayValue = qty.times(valuation.lastdayPrice).times(multiplier).abs();
  const available = qty.isNegative() ? qty.plus(valuation.heldForOrders) : qty.minus(valuation.heldForOrders);
  const money = (d: Decimal) => d.toDecimalPlaces(MONEY_DECIMALS).toFixed();
  const ratio = (d: Decimal) => d.toDecimalPlaces(RATIO_DECIMALS).toFixed();
  return {
    asset_id: valuation.assetId,
    symbol: position.symbol,
    exchange: valuation.assetClass === 'us_option' ? '' : 'NASDAQ',
    asset_class: valuation.assetClass,
    asset_marginable: valuation.assetClass === 'us_equity',
    qty: qty.toFixed(),
    qty_available: (qty.isNegative() ? Decimal.min(available, 0) : Decimal.max(available, 0)).toFixed(),
    side: qty.isNegative() ? 'short' : 'long',
    avg_entry_price: avgEntryPrice.toDecimalPlaces(9).toFixed(),
    market_value: money(marketValue),
    cost_basis: money(costBasis),
    unrealized_pl: money(unrealized),
    unrealized_plpc: ratio(unrealizedPct),
    unrealized_intraday_pl: money(intraday),
    unrealized_intraday_plpc: ratio(lastdayValue.isZero() ? new Decimal(0) : intraday.div(lastdayValue)),
    current_price: valuation.currentPrice.toFixed(),
    lastday_price: valuation.lastdayPrice.toFixed(),
    change_today: ratio(valuation.currentPrice.minus(valuation.lastdayPrice).div(valuation.lastdayPrice)),
  };
}
