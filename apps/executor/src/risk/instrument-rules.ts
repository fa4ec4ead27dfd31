/**
 * Price and quantity increments per instrument, and rounding to them. Pure.
 *
 * Invariants: a rounded price is a positive-or-zero multiple of `tickSize(rounded)`; a rounded
 * quantity is a multiple of `lotSize`; rounding never moves a value by a whole increment or more.
 *
 * Defaults, replaced per instrument by `overrides` (e.g. from Binance `exchangeInfo` filters):
 * - EQUITY: Alpaca's sub-penny rule, $0.01 at or above $1 and $0.0001 below; lot 1 share, or
 *   0.000000001 when fractional shares are allowed.
 * - OPTION: $0.01 for every premium and whole contracts. Some option classes quote in $0.05 at
 *   or above $3; pass `tickSize: '0.05'` for those.
 * - CRYPTO: the sub-penny ladder and a lot of 0.0001 coin; a venue's `PRICE_FILTER.tickSize` and
 *   `LOT_SIZE.stepSize` / `minQty` / `NOTIONAL.minNotional` belong in the overrides.
 */
import { Decimal } from 'decimal.js';
import type { OrderIntent } from '../decisions/order-intent';

export type AssetClass = OrderIntent['assetClass'];
export type OrderSide = OrderIntent['side'];

export interface InstrumentRules {
  readonly assetClass: AssetClass;
  /** Price increment in quote currency that applies at `price`; positive. */
  readonly tickSize: (price: Decimal) => Decimal;
  /** Quantity increment in instrument units (shares, contracts, coins); positive. */
  readonly lotSize: Decimal;
  /** Smallest quantity the venue accepts, in instrument units; at least one lot. */
  readonly minQuantity: Decimal;
  /** Smallest order notional in quote currency; zero when the venue has none. */
  readonly minNotional: Decimal;
}

export interface InstrumentRulesOverrides {
  /** A fixed tick in quote currency, replacing the asset class's price ladder. */
  readonly tickSize?: Decimal.Value;
  /** Quantity increment in instrument units. */
  readonly lotSize?: Decimal.Value;
  /** Smallest quantity in instrument units; one lot when absent. */
  readonly minQuantity?: Decimal.Value;
  /** Smallest order notional in quote currency; zero when absent. */
  readonly minNotional?: Decimal.Value;
  /** EQUITY only: allow fractional shares (Alpaca accepts up to 9 decimal places). */
  readonly fractional?: boolean;
}

const ONE = new Decimal(1);
const PENNY = new Decimal('0.01');
const SUB_PENNY = new Decimal('0.0001');
const FRACTIONAL_SHARE = new Decimal('0.000000001');
const CRYPTO_LOT = new Decimal('0.0001');

/**
 * Alpaca's sub-penny rule: at most 2 decimals at or above $1, 4 below. $1 is a multiple of both
 * ticks, so a price rounded across the boundary still lands on the tick of its new side.
 */
export function calculateSubPennyTick(price: Decimal): Decimal {
  return price.gte(ONE) ? PENNY : SUB_PENNY;
}

/** The rules of one asset class with the defaults above; throws on a non-positive increment (bad config). */
export function rulesFor(assetClass: AssetClass, overrides: InstrumentRulesOverrides = {}): InstrumentRules {
  const fixedTick = overrides.tickSize === undefined ? undefined : positive('tickSize', overrides.tickSize);
  const lotSize = positive(
    'lotSize',
    overrides.lotSize ?? defaultLotSize(assetClass, overrides.fractional === true),
  );
  const minQuantity = new Decimal(overrides.minQuantity ?? lotSize);
  const minNotional = new Decimal(overrides.minNotional ?? 0);
  if (minQuantity.lt(lotSize))
    throw new RangeError(`minQuantity ${minQuantity.toFixed()} is below the lot ${lotSize.toFixed()}`);
  if (minNotional.isNeg()) throw new RangeError(`minNotional ${minNotional.toFixed()} is negative`);
  return Object.freeze({
    assetClass,
    tickSize: fixedTick === undefined ? defaultTickSize(assetClass) : () => fixedTick,
    lotSize,
    minQuantity,
    minNotional,
  });
}

/**
 * Rounds a limit or stop price onto the tick: a BUY down and a SELL up, so the order never pays more
 * or receives less per unit than was approved. Prices in the same order are rounded the same way,
 * which keeps a stop-limit's stop and limit in the order they were approved in.
 */
export function roundPrice(price: Decimal, side: OrderSide, rules: InstrumentRules): Decimal {
  return price.toNearest(rules.tickSize(price), side === 'BUY' ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL);
}

/** Rounds a quantity down to the lot: never more than approved, and never more than is held to sell. */
export function roundQuantity(quantity: Decimal, rules: InstrumentRules): Decimal {
  return quantity.toNearest(rules.lotSize, Decimal.ROUND_FLOOR);
}

function defaultTickSize(assetClass: AssetClass): (price: Decimal) => Decimal {
  return assetClass === 'OPTION' ? () => PENNY : calculateSubPennyTick;
}

function defaultLotSize(assetClass: AssetClass, fractional: boolean): Decimal {
  if (assetClass === 'CRYPTO') return CRYPTO_LOT;
  return assetClass === 'EQUITY' && fractional ? FRACTIONAL_SHARE : ONE;
}

function positive(name: string, value: Decimal.Value): Decimal {
  const decimal = new Decimal(value);
  if (!decimal.isFinite() || decimal.lte(0))
    throw new RangeError(`${name} must be positive, got ${decimal.toFixed()}`);
  return decimal;
}
