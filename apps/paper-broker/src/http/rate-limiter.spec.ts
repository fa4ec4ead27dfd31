import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  it('refuses the request after the budget within one window and resets with the next', () => {
    const limiter = new RateLimiter(3);
    const t0 = 1_700_000_040_000;
    expect([1, 2, 3].map(() => limiter.take('k', t0).allowed)).toEqual([true, true, true]);
    const fourth = limiter.take('k', t0 + 1000);
    expect(fourth).toEqual({ allowed: false, limit: 3, remaining: 0, resetEpochSeconds: 1_700_000_100 });
    expect(limiter.take('other', t0).allowed).toBe(true);
    expect(limiter.take('k', t0 + 60_000).allowed).toBe(true);
  });
});
