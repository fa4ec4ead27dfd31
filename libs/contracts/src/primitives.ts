/**
 * Wire primitives shared by every contract.
 *
 * Invariants: money, prices and quantities are decimal strings (never JSON numbers), so no consumer
 * ever rounds through a binary float; timestamps are ISO-8601 in UTC with a `Z` suffix; ids are
 * validated where they are parsed, not where they are used.
 */
import { z } from 'zod';

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
// The JSON Schema forms of the refinements below, so that JSON Schema consumers accept exactly what
// zod accepts. No look-ahead: JSON Schema validators built on RE2 (Go) have none.
const POSITIVE_DECIMAL = /^([1-9]\d*(\.\d+)?|0\.\d*[1-9]\d*)$/;
const NON_NEGATIVE_DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** A decimal number as a string, e.g. `"187.51"` or `"-0.5"`. No exponent, no leading `+`. */
export const DecimalString = z
  .string()
  .regex(DECIMAL, 'must be a decimal string such as "187.51"')
  .max(40)
  .meta({ description: 'Decimal number as a string, e.g. "187.51". No exponent.' });

/** A decimal string greater than zero. */
export const PositiveDecimalString = DecimalString.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), {
  message: 'must be greater than zero',
}).meta({ description: 'Decimal number greater than zero, as a string.', pattern: POSITIVE_DECIMAL.source });

/** A decimal string greater than or equal to zero. */
export const NonNegativeDecimalString = DecimalString.refine((v) => !v.startsWith('-'), {
  message: 'must not be negative',
}).meta({
  description: 'Decimal number greater than or equal to zero, as a string.',
  pattern: NON_NEGATIVE_DECIMAL.source,
});

/** An RFC 4122 UUID in its canonical lowercase form. */
export const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID');

/** An ISO-8601 timestamp in UTC with a `Z` suffix, e.g. `2026-11-24T14:45:00.000Z`. */
export const UtcTimestamp = z.iso.datetime({ offset: false, message: 'must be an ISO-8601 UTC timestamp' });

/** A tradable instrument symbol: an equity ticker (`AAPL`, `BRK.B`), a crypto pair (`BTC/USD`) or an OCC option symbol. */
export const InstrumentSymbol = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9./-]{0,31}$/, 'must be an upper-case instrument symbol such as "AAPL"');

const OCC_SYMBOL = /^[A-Z0-9.]{1,6}\d{6}[CP]\d{8}$/;
/** OCC option symbol in Alpaca's unpadded form: root, YYMMDD expiry, C or P, strike x 1000 in 8 digits. */
export const OccSymbol = z
  .string()
  .regex(OCC_SYMBOL, 'must be an unpadded OCC option symbol such as "AAPL240119C00100000"');

/** A broker-side client order id: printable, at most 48 characters (Alpaca's older, stricter limit). */
export const ClientOrderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,48}$/, 'must be 1-48 characters of [A-Za-z0-9_.:-]');

/** A broker's own order id, opaque to us. */
export const BrokerOrderId = z.string().min(1).max(128);

/** Account and owner ids: opaque, non-empty, no whitespace. */
export const AccountId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_.:-]');
export const OwnerId = AccountId;

export const OrderSide = z.enum(['BUY', 'SELL']);
export const OrderType = z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']);
export const TimeInForce = z.enum(['DAY', 'GTC', 'IOC', 'FOK', 'OPG', 'CLS']);
export const AssetClass = z.enum(['EQUITY', 'OPTION', 'CRYPTO']);

/**
 * The platform's order status, normalised from every broker's vocabulary. Open: NEW, ACCEPTED,
 * PARTIALLY_FILLED, PENDING_CANCEL, PENDING_REPLACE. Terminal: FILLED, CANCELED, EXPIRED, REJECTED, REPLACED.
 */
export const OrderStatus = z.enum([
  'PENDING_SUBMIT',
  'SUBMITTED',
  'ACCEPTED',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
  'CANCELED',
  'EXPIRED',
  'REJECTED',
  'REPLACED',
  'DONE_FOR_DAY',
]);

/**
 * The instrument an order or position is in. For options `symbol` is the OCC symbol and `legNumber`
 * places the leg within its multi-leg strategy (1-based), so strategies group by `tradeId`.
 */
export const Instrument = z
  .object({
    /** Broker symbol: ticker, crypto pair or unpadded OCC option symbol. */
    symbol: InstrumentSymbol,
    /** Asset class; OPTION requires an OCC symbol. */
    assetClass: AssetClass,
    /** Contract multiplier: 1 for equities and crypto, normally 100 for equity options. Decimal string. */
    multiplier: PositiveDecimalString,
  })
  .refine((i) => i.assetClass !== 'OPTION' || OccSymbol.safeParse(i.symbol).success, {
    message: 'an OPTION instrument must have an OCC symbol',
    path: ['symbol'],
  })
  .meta({
    if: { type: 'object', properties: { assetClass: { const: 'OPTION' } }, required: ['assetClass'] },
    then: { type: 'object', properties: { symbol: { type: 'string', pattern: OCC_SYMBOL.source } } },
  });

/** The statuses after which a broker order changes no more (a late fill after CANCELED/EXPIRED aside). */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED']);

/** True for FILLED, CANCELED, EXPIRED, REJECTED and REPLACED; accepts any string (a status read from a row). */
export function isTerminalOrderStatus(status: string): boolean {
  return (TERMINAL_ORDER_STATUSES as ReadonlySet<string>).has(status);
}

export type Instrument = z.infer<typeof Instrument>;
export type OrderSide = z.infer<typeof OrderSide>;
export type OrderType = z.infer<typeof OrderType>;
export type OrderStatus = z.infer<typeof OrderStatus>;
export type TimeInForce = z.infer<typeof TimeInForce>;

/**
 * A decimal.js value in the wire form `DecimalString` accepts: plain notation, never an exponent
 * (decimal.js's own `toString()` writes `1e-7` for small values). Zero is unsigned.
 */
export function toDecimalString(value: { toFixed(): string; isZero(): boolean }): string {
  return value.isZero() ? '0' : value.toFixed();
}
