/**
 * Shapes of Alpaca's JSON as received. Decimals stay strings here (they become `Decimal` in
 * alpaca-mapping.ts); fields Alpaca may omit or null are `nullish`. Unknown fields are dropped.
 */
import { z } from 'zod';

const DECIMAL = /^-?\d+(\.\d+)?$/;
export const WireDecimal = z.string().regex(DECIMAL, 'must be a decimal string');
const OptDecimal = WireDecimal.nullish();
const OptString = z.string().nullish();

const AlpacaOrderFields = z.object({
  id: z.string().min(1),
  client_order_id: z.string().min(1),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  submitted_at: OptString,
  filled_at: OptString,
  replaced_by: OptString,
  replaces: OptString,
  symbol: z.string(),
  asset_class: z.string().nullish(),
  notional: OptDecimal,
  qty: OptDecimal,
  filled_qty: WireDecimal,
  filled_avg_price: OptDecimal,
  order_class: OptString,
  type: z.string().nullish(),
  order_type: z.string().nullish(),
  side: z.string(),
  time_in_force: z.string(),
  limit_price: OptDecimal,
  stop_price: OptDecimal,
  status: z.string(),
  /** Not in Alpaca's equity orders; the paper broker (and crypto orders) carry a cumulative fee. */
  commission: OptDecimal,
});
/** An order; an advanced order's parent carries its other members in `legs` (one level deep). */
export const AlpacaOrder = AlpacaOrderFields.extend({ legs: z.array(AlpacaOrderFields).nullish() });
export type AlpacaOrder = z.infer<typeof AlpacaOrder>;
export type AlpacaOrderLeg = z.infer<typeof AlpacaOrderFields>;

export const AlpacaFillActivity = z.object({
  id: z.string().min(1),
  activity_type: z.literal('FILL'),
  transaction_time: z.string(),
  type: z.string(),
  price: WireDecimal,
  qty: WireDecimal,
  cum_qty: WireDecimal,
  leaves_qty: WireDecimal,
  side: z.string(),
  symbol: z.string(),
  order_id: z.string().min(1),
  order_status: z.string(),
  /** Paper-broker extension: fee of this execution. */
  commission: OptDecimal,
});
export type AlpacaFillActivity = z.infer<typeof AlpacaFillActivity>;

export const AlpacaPosition = z.object({
  symbol: z.string(),
  asset_class: z.string().nullish(),
  qty: WireDecimal,
  side: z.string().nullish(),
  avg_entry_price: WireDecimal,
  market_value: OptDecimal,
  current_price: OptDecimal,
});
export type AlpacaPosition = z.infer<typeof AlpacaPosition>;

export const AlpacaQuote = z.object({
  t: z.string(),
  bp: z.number().nullish(),
  ap: z.number().nullish(),
  bs: z.number().nullish(),
  as: z.number().nullish(),
});
export const AlpacaLatestQuotes = z.object({ quotes: z.record(z.string(), AlpacaQuote) });
export type AlpacaLatestQuotes = z.infer<typeof AlpacaLatestQuotes>;

export const AlpacaClock = z.object({
  timestamp: z.string(),
  is_open: z.boolean(),
  next_open: z.string(),
  next_close: z.string(),
});
export type AlpacaClock = z.infer<typeof AlpacaClock>;

export const AlpacaCalendarDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  open: z.string().regex(/^\d{2}:\d{2}$/),
  close: z.string().regex(/^\d{2}:\d{2}$/),
});
export type AlpacaCalendarDay = z.infer<typeof AlpacaCalendarDay>;

export const AlpacaErrorBody = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
});

export const AlpacaTradeUpdate = z.object({
  event: z.string(),
  order: AlpacaOrder,
  timestamp: OptString,
  at: OptString,
  execution_id: OptString,
  price: OptDecimal,
  qty: OptDecimal,
  position_qty: OptDecimal,
  /** Paper-broker extension: fee of this execution. */
  commission: OptDecimal,
});
export type AlpacaTradeUpdate = z.infer<typeof AlpacaTradeUpdate>;
