import { describe, expect, it } from '@jest/globals';
import { calculateBackoffMs, calculateRateLimitWaitMs, calculateRetryAfterMs, parseRateLimitHeaders } from './retry-policy';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('retry policy', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the delay per retry up to the cap, half of it jittered', () => {
    expect([1, 2, 3, 4, 5].map((n) => calculateBackoffMs(n, policy, 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(calculateBackoffMs(3, policy, 0)).toBe(200);
  });

  it('waits for the window reset only when nothing remains', () => {
    const now = 1_700_000_000_000;
    expect(calculateRateLimitWaitMs({ remaining: 3, resetEpochSeconds: 1_700_000_010 }, now, 5000)).toBe(0);
    expect(calculateRateLimitWaitMs({ remaining: 0, resetEpochSeconds: 1_700_000_002 }, now, 5000)).toBe(2000);
    expect(calculateRateLimitWaitMs({ remaining: 0, resetEpochSeconds: 1_700_000_060 }, now, 5000)).toBe(5000);
    expect(calculateRateLimitWaitMs(null, now, 5000)).toBe(0);
  });

  it('prefers Retry-After, then the reset header, then backoff', () => {
    const now = 1_700_000_000_000;
    expect(calculateRetryAfterMs(headers({ 'retry-after': '2' }), now, 50, 5000)).toBe(2000);
    const window = headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000001', 'x-ratelimit-limit': '200' });
    expect(parseRateLimitHeaders(window)).toEqual({ remaining: 0, resetEpochSeconds: 1_700_000_001 });
    expect(calculateRetryAfterMs(window, now, 50, 5000)).toBe(1000);
    expect(calculateRetryAfterMs(headers({}), now, 50, 5000)).toBe(50);
  });
});
