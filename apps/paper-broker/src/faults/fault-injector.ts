/**
 * Where fault injection plugs in (a later feature): the HTTP layer asks before routing an API
 * request, the stream asks before delivering an update. The default injects nothing.
 */
import type { TradeUpdateEvent } from '../exchange/trade-update';

export interface FaultResponse {
  status: number;
  body: unknown;
  /** Delay before answering, in ms. */
  delayMs?: number;
}

export interface FaultInjector {
  /** A response to send instead of routing `method path`, or null to route it normally. */
  interceptRequest(method: string, path: string): FaultResponse | null;
  /** How many copies of an update to deliver: 0 drops it, 2 duplicates it. */
  copiesOf(update: TradeUpdateEvent): number;
}

export const NO_FAULTS: FaultInjector = {
  interceptRequest: () => null,
  copiesOf: () => 1,
};
