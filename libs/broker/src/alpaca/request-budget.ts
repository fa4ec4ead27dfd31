/**
 * Client-side pacing of one API's requests; pure, time passed in. Invariants: a request is held
 * for the longest of (a) the token bucket (`requestsPerMinute` steady, bursts up to `burst`),
 * (b) the server's window while `X-RateLimit-Remaining` says nothing is left, until
 * `X-RateLimit-Reset`, and (c) a `Retry-After`; and never longer than `maxWaitMs`. Past that bound
 * the request goes anyway and the server's answer corrects the view (clocks may disagree).
 * Reservations are taken synchronously, so concurrent callers queue behind one another: the
 * bucket may go negative by the requests already promised a later slot.
 */
import { parseRateLimitHeaders, parseRetryAfterMs, type RateLimitState } from './retry-policy';

export interface RateLimitPolicy {
  /** Steady rate; Alpaca allows 200 per minute per account on the Trading API. */
  requestsPerMinute: number;
  /** Requests that may go back to back after a quiet spell. */
  burst: number;
}

export interface RequestBudget {
  /** Tokens left at `refilledAtMs`; negative while reservations wait for later slots. */
  tokens: number;
  refilledAtMs: number;
  /** The server's window as last reported, decremented per request sent within it. */
  window: { remaining: number; resetAtMs: number } | null;
  /** No request before this time (`Retry-After`). */
  blockedUntilMs: number;
}

export interface Reservation {
  budget: RequestBudget;
  /** How long to hold the request, already capped at `maxWaitMs`. */
  waitMs: number;
}

/** A full bucket; a null policy means no client-side limit (server hints only). */
export function initialBudget(policy: RateLimitPolicy | null, nowMs: number): RequestBudget {
  return { tokens: policy ? policy.burst : 0, refilledAtMs: nowMs, window: null, blockedUntilMs: 0 };
}

function refill(budget: RequestBudget, policy: RateLimitPolicy, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - budget.refilledAtMs);
  return Math.min(policy.burst, budget.tokens + (elapsed * policy.requestsPerMinute) / 60_000);
}

/** Takes one request's slot: the time to wait before sending it, and the budget after it. */
export function reserveRequest(
  budget: RequestBudget,
  policy: RateLimitPolicy | null,
  nowMs: number,
  maxWaitMs: number,
): Reservation {
  let tokens = budget.tokens;
  let bucketWait = 0;
  if (policy) {
    tokens = refill(budget, policy, nowMs) - 1;
    if (tokens < 0) bucketWait = Math.ceil((-tokens * 60_000) / policy.requestsPerMinute);
  }
  const window = budget.window && nowMs < budget.window.resetAtMs ? budget.window : null;
  const windowWait = window && window.remaining <= 0 ? window.resetAtMs - nowMs : 0;
  const blockedWait = Math.max(0, budget.blockedUntilMs - nowMs);
  const waitMs = Math.max(0, Math.min(maxWaitMs, Math.max(bucketWait, windowWait, blockedWait)));
  const sendAt = nowMs + waitMs;
  const nextWindow = window && sendAt < window.resetAtMs ? { ...window, remaining: Math.max(0, window.remaining - 1) } : null;
  return { budget: { ...budget, tokens, refilledAtMs: nowMs, window: nextWindow }, waitMs };
}

/** Folds in what a response said about the server's window and any `Retry-After`. */
export function observeRateLimit(
  budget: RequestBudget,
  nowMs: number,
  window: RateLimitState | null,
  retryAfterMs: number | null,
): RequestBudget {
  return {
    ...budget,
    window: window ? { remaining: window.remaining, resetAtMs: window.resetEpochSeconds * 1000 } : budget.window,
    blockedUntilMs: retryAfterMs === null ? budget.blockedUntilMs : Math.max(budget.blockedUntilMs, nowMs + retryAfterMs),
  };
}

/** True when the next request would have to wait: a 429's retry needs no backoff of its own then. */
export function mustWait(budget: RequestBudget, nowMs: number): boolean {
  const window = budget.window && nowMs < budget.window.resetAtMs ? budget.window : null;
  return budget.blockedUntilMs > nowMs || (window !== null && window.remaining <= 0);
}

/** Holds one API's budget over an injected clock. */
export class RateLimiter {
  private budget: RequestBudget;

  constructor(
    private readonly policy: RateLimitPolicy | null,
    private readonly maxWaitMs: number,
    private readonly nowMs: () => number,
  ) {
    this.budget = initialBudget(policy, nowMs());
  }

  /** Takes a slot for one request; returns how long to hold it first, in ms. */
  reserve(): number {
    const reservation = reserveRequest(this.budget, this.policy, this.nowMs(), this.maxWaitMs);
    this.budget = reservation.budget;
    return reservation.waitMs;
  }

  observe(headers: { get(name: string): string | null }): void {
    const now = this.nowMs();
    this.budget = observeRateLimit(this.budget, now, parseRateLimitHeaders(headers), parseRetryAfterMs(headers, now));
  }

  mustWait(): boolean {
    return mustWait(this.budget, this.nowMs());
  }
}
