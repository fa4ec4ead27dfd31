/**
 * The executor's pre-trade limits. Pure. Both numeric limits are inclusive: an order exactly at a
 * limit is allowed.
 */
import { Decimal } from 'decimal.js';
import type { AssetClass } from './instrument-rules';

export interface RiskLimits {
  /** Largest notional of one order (quantity × price × multiplier), in quote currency. */
  readonly maxNotionalPerOrder: Decimal;
  /** Largest absolute position per symbol and account after a full fill, in instrument units. */
  readonly maxPositionPerSymbol: Decimal;
  /** Symbols that may be traded, compared exactly (`BTC/USD` and `BTCUSD` differ); `ALL` for any. */
  readonly allowedInstruments: 'ALL' | ReadonlySet<string>;
  /** Asset classes that may be traded. */
  readonly allowedAssetClasses: ReadonlySet<AssetClass>;
  /** When true, a new trade is denied while another trade is active on the same symbol and account. */
  readonly oneActiveTradePerSymbol: boolean;
}

/** Configuration as it arrives (decimal strings from the environment); every field optional. */
export interface RiskLimitsInput {
  readonly maxNotionalPerOrder?: Decimal.Value;
  readonly maxPositionPerSymbol?: Decimal.Value;
  readonly allowedInstruments?: 'ALL' | Iterable<string>;
  readonly allowedAssetClasses?: Iterable<AssetClass>;
  readonly oneActiveTradePerSymbol?: boolean;
}

export const DEFAULT_RISK_LIMITS = {
  maxNotionalPerOrder: '10000',
  maxPositionPerSymbol: '1000',
  allowedInstruments: 'ALL',
  allowedAssetClasses: ['EQUITY', 'OPTION', 'CRYPTO'],
  oneActiveTradePerSymbol: true,
} as const satisfies RiskLimitsInput;

/** Frozen limits from `input` over `DEFAULT_RISK_LIMITS`; throws one error naming every bad value. */
export function riskLimitsOf(input: RiskLimitsInput = {}): RiskLimits {
  const violations: string[] = [];
  const maxNotionalPerOrder = positive(
    'maxNotionalPerOrder',
    input.maxNotionalPerOrder ?? DEFAULT_RISK_LIMITS.maxNotionalPerOrder,
    violations,
  );
  const maxPositionPerSymbol = positive(
    'maxPositionPerSymbol',
    input.maxPositionPerSymbol ?? DEFAULT_RISK_LIMITS.maxPositionPerSymbol,
    violations,
  );
  const instruments = input.allowedInstruments ?? DEFAULT_RISK_LIMITS.allowedInstruments;
  const assetClasses = new Set(input.allowedAssetClasses ?? DEFAULT_RISK_LIMITS.allowedAssetClasses);
  if (assetClasses.size === 0) violations.push('allowedAssetClasses is empty');
  if (violations.length > 0) throw new RangeError(`invalid risk limits: ${violations.join('; ')}`);

  return Object.freeze({
    maxNotionalPerOrder,
    maxPositionPerSymbol,
    allowedInstruments: instruments === 'ALL' ? 'ALL' : new Set(instruments),
    allowedAssetClasses: assetClasses,
    oneActiveTradePerSymbol: input.oneActiveTradePerSymbol ?? DEFAULT_RISK_LIMITS.oneActiveTradePerSymbol,
  });
}

function positive(name: string, value: Decimal.Value, violations: string[]): Decimal {
  let decimal: Decimal;
  try {
    decimal = new Decimal(value);
  } catch {
    violations.push(`${name} is not a decimal: ${String(value)}`);
    return new Decimal(0);
  }
  if (!decimal.isFinite() || decimal.lte(0))
    violations.push(`${name} must be positive, got ${decimal.toFixed()}`);
  return decimal;
}
