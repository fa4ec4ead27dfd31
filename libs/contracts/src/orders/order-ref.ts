import { z } from 'zod';
import {
  AccountId,
  BrokerOrderId,
  ClientOrderId,
  Instrument,
  OrderSide,
  OrderType,
  OwnerId,
  PositiveDecimalString,
  TimeInForce,
  Uuid,
} from '../primitives';

/** Why an order exists within its trade. */
export const OrderPurpose = z.enum(['ENTRY', 'STOP_LOSS', 'TAKE_PROFIT', 'EXIT', 'EXTERNAL']);

/** Identity and terms of an order, carried by every order event. */
export const OrderRef = z.object({
  /** The platform's id of the order (UUID), stable across broker-side replaces. */
  orderId: Uuid,
  /** Deterministic id sent to the broker; derived from the decision, so a retry never places a second order. */
  clientOrderId: ClientOrderId,
  /** The broker's id of the order; null until the broker has acknowledged it. */
  brokerOrderId: BrokerOrderId.nullable(),
  /** Broker the order was sent to, e.g. `alpaca`. */
  broker: z.string().min(1).max(32),
  /** The decision that caused the order (UUID). */
  decisionId: Uuid,
  /** Trade the order belongs to; all legs and exits of one strategy share it (UUID). */
  tradeId: Uuid,
  /** 1-based leg number within a multi-leg option strategy; null for a single-instrument trade. */
  legNumber: z.number().int().min(1).max(4).nullable(),
  /** Role of the order within its trade. */
  purpose: OrderPurpose,
  /** Account the order is placed in. */
  accountId: AccountId,
  /** User owning the account (row-level security key). */
  ownerId: OwnerId,
  /** Instrument traded; options carry their OCC symbol. */
  instrument: Instrument,
  /** BUY or SELL. */
  side: OrderSide,
  /** Ordered quantity in instrument units, decimal string. */
  quantity: PositiveDecimalString,
  /** Order type. */
  orderType: OrderType,
  /** Limit price per unit in quote currency, or null. */
  limitPrice: PositiveDecimalString.nullable(),
  /** Stop trigger price per unit in quote currency, or null. */
  stopPrice: PositiveDecimalString.nullable(),
  /** Time in force. */
  timeInForce: TimeInForce,
});
export type OrderRef = z.infer<typeof OrderRef>;
export type OrderPurpose = z.infer<typeof OrderPurpose>;
