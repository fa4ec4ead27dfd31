/**
 * Pure retry rules shared by the HTTP client and the stream reconnects: backoff arithmetic, rate-limit
 * headers, and which failures each method may repeat. Invariant: a request is repeated only when
 * repeating cannot act twice at the broker — reads always; writes only when the broker provably
 * processed nothing (a 429, or for PATCH/DELETE a connection that was never established).
 */

export interface BackoffPolicy {
  /** Delay before the first retry, in ms; doubles per attempt. */
  baseDelayMs: number;
  /** Upper bound of any single delay, in ms. */
  maxDelayMs: number;
}

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in total, the first included (so 1 = never retry). */
  maxAttempts: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** How one HTTP attempt ended. NETWORK with `connected: false` means no byte of the request left. */
export type AttemptResult =
  | { kind: 'RESPONSE'; status: number }
  | { kind: 'TIMEOUT' }
  | { kind: 'NETWORK'; connected: boolean };

/** A failed attempt, or null for a definite answer (2xx-4xx but 429). */
export type AttemptFailure = 'RATE_LIMITED' | 'SERVER_ERROR' | 'TIMEOUT' | 'NETWORK' | 'NOT_CONNECTED';

const ALL_FAILURES: readonly AttemptFailure[] = ['RATE_LIMITED', 'SERVER_ERROR', 'TIMEOUT', 'NETWORK', 'NOT_CONNECTED'];

/**
 * What each method may retry. POST places orders: a 5xx, a timeout or a dropped connection may
 * have placed one, so the outcome is UNKNOWN and the caller resolves it by client order id.
 */
export const RETRYABLE_FAILURES: Readonly<Record<HttpMethod, ReadonlySet<AttemptFailure>>> = {
  GET: new Set(ALL_FAILURES),
  POST: new Set(['RATE_LIMITED']),
  PATCH: new Set(['RATE_LIMITED', 'NOT_CONNECTED']),
  DELETE: new Set(['RATE_LIMITED', 'NOT_CONNECTED']),
};

export function attemptFailureOf(result: AttemptResult): AttemptFailure | null {
  if (result.kind === 'TIMEOUT') return 'TIMEOUT';
  if (result.kind === 'NETWORK') return result.connected ? 'NETWORK' : 'NOT_CONNECTED';
  if (result.status === 429) return 'RATE_LIMITED';
  if (result.status >= 500) return 'SERVER_ERROR';
  return null;
}

export function isSafeToRetry(method: HttpMethod, result: AttemptResult): boolean {
  const failure = attemptFailureOf(result);
  return failure !== null && RETRYABLE_FAILURES[method].has(failure);
}

/** Failures that say the broker is unwell (counted by the circuit breaker); 4xx and 429 are answers. */
export function isBrokerFailure(result: AttemptResult): boolean {
  const failure = attemptFailureOf(result);
  return failure !== null && failure !== 'RATE_LIMITED';
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is random, so concurrent
 * clients spread out yet nobody retries immediately. `jitter` is a number in [0, 1).
 */
export function calculateBackoffMs(retryNumber: number, policy: BackoffPolicy, jitter: number): number {
  const exponent = Math.max(0, retryNumber - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(jitter, 0), 1));
}

export interface RateLimitState {
  /** `X-RateLimit-Remaining` of the last response. */
  remaining: number;
  /** `X-RateLimit-Reset` of the last response, unix seconds. */
  resetEpochSeconds: number;
}

interface HeaderReader {
  get(name: string): string | null;
}

export function parseRateLimitHeaders(headers: HeaderReader): RateLimitState | null {
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining) || !Number.isFinite(reset)) {
    return null;
  }
  return { remaining, resetEpochSeconds: reset };
}

/** `Retry-After` as a delay in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfterMs(headers: HeaderReader, nowMs: number): number | null {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}
