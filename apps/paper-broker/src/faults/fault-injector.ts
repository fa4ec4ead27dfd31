/**
 * Where fault injection plugs in: the HTTP layer asks before routing an API request, the trading
 * routes pass the order faults on to the venue, and the stream asks before delivering an update.
 * `interceptRequest` and `copiesOf` are the minimal hooks an embedding test may implement by hand;
 * `decideRequest` and `decideUpdate`, when present, replace them with the full set of faults.
 * The default injects nothing.
 */
import type { TradeUpdateEvent } from '../exchange/trade-update';
import type { RequestFaults, UpdateFaults } from './fault-plan';

export interface FaultResponse {
  status: number;
  body: unknown;
  /** Delay before answering, in ms. */
  delayMs?: number;
  /** Headers set over the rate-limit headers, e.g. Retry-After. */
  headers?: Record<string, string>;
}

/** An API request as fault rules see it, before routing. */
export interface FaultRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The JSON object body of a POST or PATCH, else null. */
  body: Record<string, unknown> | null;
}

export interface FaultInjector {
  /** A response to send instead of routing `method path`, or null to route it normally. */
  interceptRequest(method: string, path: string): FaultResponse | null;
  /** How many copies of an update to deliver: 0 drops it, 2 duplicates it. */
  copiesOf(update: TradeUpdateEvent): number;
  decideRequest?(request: FaultRequest): RequestFaults;
  decideUpdate?(update: TradeUpdateEvent): UpdateFaults;
  /** True when a stream client's authentication is to be refused (an armed `refuse_stream`). */
  refusesStream?(): boolean;
}

export const NO_FAULTS: FaultInjector = {
  interceptRequest: () => null,
  copiesOf: () => 1,
};

/** The full decision for a request, from whichever hooks the injector has. */
export function requestFaultsOf(injector: FaultInjector, request: FaultRequest): RequestFaults {
  if (injector.decideRequest) return injector.decideRequest(request);
  const refusal = injector.interceptRequest(request.method, request.path);
  return { refusal, hang: null, responseDelayMs: 0, order: null };
}

export function updateFaultsOf(injector: FaultInjector, update: TradeUpdateEvent): UpdateFaults {
  if (injector.decideUpdate) return injector.decideUpdate(update);
  return { copies: injector.copiesOf(update), disconnect: false };
}
