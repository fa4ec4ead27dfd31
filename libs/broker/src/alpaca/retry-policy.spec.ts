import { describe, expect, it } from '@jest/globals';
import {
  attemptFailureOf,
  calculateBackoffMs,
  isBrokerFailure,
  isSafeToRetry,
  parseRateLimitHeaders,
  parseRetryAfterMs,
  type AttemptResult,
  type HttpMethod,
} from './retry-policy';

const headers = (entries: Record<string, string>) => new Headers(entries);

const RESULTS: Record<string, AttemptResult> = {
  '200': { kind: 'RESPONSE', status: 200 },
  '404': { kind: 'RESPONSE', status: 404 },
  '422': { kind: 'RESPONSE', status: 422 },
  '429': { kind: 'RESPONSE', status: 429 },
  '500': { kind: 'RESPONSE', status: 500 },
  '503': { kind: 'RESPONSE', status: 503 },
  timeout: { kind: 'TIMEOUT' },
  'connection reset': { kind: 'NETWORK', connected: true },
  'connection refused': { kind: 'NETWORK', connected: false },
};

function retried(method: HttpMethod): string[] {
  return Object.entries(RESULTS)
    .filter(([, result]) => isSafeToRetry(method, result))
    .map(([name]) => name);
}

describe('retry classification', () => {
  it('retries reads on 429, 5xx, timeouts and any network error', () => {
    expect(retried('GET')).toEqual(['429', '500', '503', 'timeout', 'connection reset', 'connection refused']);
  });

  it('never repeats a submit the broker may have processed: only a 429', () => {
    expect(retried('POST')).toEqual(['429']);
  });

  it('repeats cancels and replaces only on a 429 or a connection never established', () => {
    expect(retried('DELETE')).toEqual(['429', 'connection refused']);
    expect(retried('PATCH')).toEqual(['429', 'connection refused']);
  });

  it('counts 5xx, timeouts and network errors against the broker, never 4xx answers or 429', () => {
    const failures = Object.entries(RESULTS).filter(([, r]) => isBrokerFailure(r)).map(([name]) => name);
    expect(failures).toEqual(['500', '503', 'timeout', 'connection reset', 'connection refused']);
    expect(attemptFailureOf({ kind: 'RESPONSE', status: 201 })).toBeNull();
  });
});

describe('retry policy', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the delay per retry up to the cap, half of it jittered', () => {
    expect([1, 2, 3, 4, 5].map((n) => calculateBackoffMs(n, policy, 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(calculateBackoffMs(3, policy, 0)).toBe(200);
  });

  it('reads the rate-limit window and Retry-After in seconds or as a date', () => {
    const now = Date.parse('2026-11-24T15:00:00Z');
    const window = headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000001', 'x-ratelimit-limit': '200' });
    expect(parseRateLimitHeaders(window)).toEqual({ remaining: 0, resetEpochSeconds: 1_700_000_001 });
    expect(parseRateLimitHeaders(headers({}))).toBeNull();
    expect(parseRetryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Tue, 24 Nov 2026 15:00:03 GMT' }), now)).toBe(3000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfterMs(headers({}), now)).toBeNull();
  });
});
