/**
 * Why the order state machine refuses an event. A refused event is never applied: the caller
 * counts it and alerts, the order keeps its state.
 * - `ILLEGAL_TRANSITION`: the transition table has no row for (current status, event).
 * - `INVALID_QUANTITY`: a fill's cumulative quantity is negative or not a finite number.
 */
export type OrderTransitionRefusal = 'ILLEGAL_TRANSITION' | 'INVALID_QUANTITY';

/**
 * Why a broker trade update cannot be read as an order event.
 * - `UNKNOWN_ALPACA_EVENT`: the `event` word is not one Alpaca documents.
 * - `UNKNOWN_ALPACA_STATUS`: the event is read from the order status, and that status is unknown.
 */
export type BrokerUpdateRefusal = 'UNKNOWN_ALPACA_EVENT' | 'UNKNOWN_ALPACA_STATUS';
