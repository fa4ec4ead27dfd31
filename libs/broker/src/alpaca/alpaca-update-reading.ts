/**
 * Alpaca's order vocabulary read as broker-neutral order events, for the consumers of the stream
 * and of polled orders. Pure. The status words are read through `mapOrderStatus` (alpaca-mapping.ts),
 * the one table of Alpaca statuses; only the `trade_updates` event words that are not statuses
 * (`fill`, `order_cancel_rejected`, ...) are listed here.
 */
import type { OrderStatus } from '@tlp/contracts';
import type { Decimal } from 'decimal.js';
import { isBrokerError } from '../errors';
import { mapOrderStatus } from './alpaca-mapping';

/** What a broker report says happened to an order, past tense. */
export type BrokerOrderEventKind =
  | 'ACCEPTED'
  | 'ACKNOWLEDGED'
  | 'FILLED_PARTIALLY'
  | 'FILLED'
  | 'CANCEL_PENDING'
  | 'CANCELED'
  | 'CANCEL_REJECTED'
  | 'REPLACE_PENDING'
  | 'REPLACED'
  | 'REPLACE_REJECTED'
  | 'EXPIRED'
  | 'REJECTED'
  | 'DONE_FOR_DAY';

/** `UNKNOWN_ALPACA_EVENT`: an event word Alpaca does not document; `UNKNOWN_ALPACA_STATUS`: likewise for a status. */
export type BrokerReadingRefusal = 'UNKNOWN_ALPACA_EVENT' | 'UNKNOWN_ALPACA_STATUS';

export type BrokerUpdateReading =
  | { readonly kind: 'EVENT'; readonly event: BrokerOrderEventKind }
  | { readonly kind: 'REFUSED'; readonly code: BrokerReadingRefusal; readonly word: string };

/** The event that leads an order to each status. PENDING_SUBMIT and SUBMITTED are the platform's own, never Alpaca's. */
const EVENT_OF_STATUS: Readonly<Partial<Record<OrderStatus, BrokerOrderEventKind>>> = {
  ACCEPTED: 'ACCEPTED',
  NEW: 'ACKNOWLEDGED',
  PARTIALLY_FILLED: 'FILLED_PARTIALLY',
  FILLED: 'FILLED',
  DONE_FOR_DAY: 'DONE_FOR_DAY',
  PENDING_CANCEL: 'CANCEL_PENDING',
  CANCELED: 'CANCELED',
  PENDING_REPLACE: 'REPLACE_PENDING',
  REPLACED: 'REPLACED',
  EXPIRED: 'EXPIRED',
  REJECTED: 'REJECTED',
};

/** `trade_updates` event words with a meaning of their own; every other documented word is a status word. */
const EVENT_WORDS: Readonly<Record<string, BrokerOrderEventKind>> = {
  fill: 'FILLED',
  partial_fill: 'FILLED_PARTIALLY',
  order_cancel_rejected: 'CANCEL_REJECTED',
  order_replace_rejected: 'REPLACE_REJECTED',
};

/** Event words that carry no transition of their own: the order's status says where it is. */
const STATUS_DERIVED_WORDS: ReadonlySet<string> = new Set(['stopped', 'calculated', 'suspended', 'restated']);

/** Status words that are also event words meaning "the order reached this status". */
const STATUS_EVENT_WORDS: ReadonlySet<string> = new Set([
  'new', 'accepted', 'pending_new', 'canceled', 'expired', 'done_for_day', 'replaced', 'rejected', 'pending_cancel', 'pending_replace',
]);

/** Reads an Alpaca order status (of a polled order, or of a status-only update) as the event that leads to it. */
export function readAlpacaStatus(status: string, filledQuantity: Decimal, quantity: Decimal | null): BrokerUpdateReading {
  let mapped: OrderStatus;
  try {
    mapped = mapOrderStatus(status, filledQuantity, quantity);
  } catch (error) {
    if (isBrokerError(error)) return { kind: 'REFUSED', code: 'UNKNOWN_ALPACA_STATUS', word: status };
    throw error;
  }
  const event = EVENT_OF_STATUS[mapped];
  return event ? { kind: 'EVENT', event } : { kind: 'REFUSED', code: 'UNKNOWN_ALPACA_STATUS', word: status };
}

/** Reads an Alpaca `trade_updates` event word, with its order's status and quantities, as an order event. */
export function readAlpacaUpdate(event: string, status: string, filledQuantity: Decimal, quantity: Decimal | null): BrokerUpdateReading {
  const own = Object.hasOwn(EVENT_WORDS, event) ? EVENT_WORDS[event] : undefined;
  if (own) return { kind: 'EVENT', event: own };
  // A status word as event: the event is reaching that status (read with the word itself, not the order's status).
  if (STATUS_EVENT_WORDS.has(event)) return readAlpacaStatus(event, filledQuantity, quantity);
  if (STATUS_DERIVED_WORDS.has(event)) return readAlpacaStatus(status, filledQuantity, quantity);
  return { kind: 'REFUSED', code: 'UNKNOWN_ALPACA_EVENT', word: event };
}
