/** Pure backoff and rate-limit arithmetic shared by the HTTP client and the stream reconnects. */

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

export function parseRateLimitHeaders(headers: { get(name: string): string | null }): RateLimitState | null {
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining) || !Number.isFinite(reset)) {
    return null;
  }
  return { remaining, resetEpochSeconds: reset };
}

/** How long to hold the next request so as not to spend a request we know will be refused. */
export function calculateRateLimitWaitMs(state: RateLimitState | null, nowMs: number, maxWaitMs: number): number {
  if (!state || state.remaining > 0) return 0;
  const wait = state.resetEpochSeconds * 1000 - nowMs;
  return wait > 0 ? Math.min(wait, maxWaitMs) : 0;
}

/** Delay before retrying a 429: `Retry-After` (seconds) if given, else until the window resets, else backoff. */
export function calculateRetryAfterMs(
  headers: { get(name: string): string | null },
  nowMs: number,
  fallbackMs: number,
  maxWaitMs: number,
): number {
  const retryAfter = Number(headers.get('retry-after'));
  if (headers.get('retry-after') !== null && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.min(retryAfter * 1000, maxWaitMs);
  }
  const waitForReset = calculateRateLimitWaitMs(parseRateLimitHeaders(headers), nowMs, maxWaitMs);
  return waitForReset > 0 ? waitForReset : fallbackMs;
}
