import { describe, expect, it } from '@jest/globals';
import { initialBudget, mustWait, observeRateLimit, RateLimiter, reserveRequest, type RequestBudget } from './request-budget';

const policy = { requestsPerMinute: 200, burst: 200 };
const T0 = Date.parse('2026-11-24T15:00:30Z');

function reserveMany(budget: RequestBudget, count: number, nowMs: number, maxWaitMs = 60_000): { budget: RequestBudget; waits: number[] } {
  const waits: number[] = [];
  let current = budget;
  for (let i = 0; i < count; i += 1) {
    const reservation = reserveRequest(current, policy, nowMs, maxWaitMs);
    current = reservation.budget;
    waits.push(reservation.waitMs);
  }
  return { budget: current, waits };
}

describe('request budget: token bucket', () => {
  it('lets a burst of 200 through, then paces one request per 300 ms', () => {
    const { budget, waits } = reserveMany(initialBudget(policy, T0), 200, T0);
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(reserveMany(budget, 3, T0).waits).toEqual([300, 600, 900]);
  });

  it('refills with time, never beyond the burst', () => {
    const drained = reserveMany(initialBudget(policy, T0), 200, T0).budget;
    expect(reserveRequest(drained, policy, T0 + 300, 60_000).waitMs).toBe(0);
    const rested = reserveMany(drained, 200, T0 + 10 * 60_000);
    expect(rested.waits.every((w) => w === 0)).toBe(true);
    expect(reserveRequest(rested.budget, policy, T0 + 10 * 60_000, 60_000).waitMs).toBe(300);
  });

  it('caps every wait at maxWaitMs', () => {
    const drained = reserveMany(initialBudget(policy, T0), 200, T0).budget;
    expect(reserveMany(drained, 3, T0, 500).waits).toEqual([300, 500, 500]);
  });

  it('does not pace at all without a policy', () => {
    const waits: number[] = [];
    let budget = initialBudget(null, T0);
    for (let i = 0; i < 1000; i += 1) {
      const r = reserveRequest(budget, null, T0, 60_000);
      budget = r.budget;
      waits.push(r.waitMs);
    }
    expect(waits.every((w) => w === 0)).toBe(true);
  });
});

describe('request budget: server hints', () => {
  const reset = (T0 + 30_000) / 1000;

  it('waits for the reset once the server says nothing remains, counting requests sent meanwhile', () => {
    let budget = observeRateLimit(initialBudget(null, T0), T0, { remaining: 2, resetEpochSeconds: reset }, null);
    expect(mustWait(budget, T0)).toBe(false);
    const first = reserveRequest(budget, null, T0, 60_000);
    const second = reserveRequest(first.budget, null, T0, 60_000);
    const third = reserveRequest(second.budget, null, T0, 60_000);
    expect([first.waitMs, second.waitMs, third.waitMs]).toEqual([0, 0, 30_000]);
    budget = observeRateLimit(second.budget, T0, { remaining: 0, resetEpochSeconds: reset }, null);
    expect(mustWait(budget, T0)).toBe(true);
    expect(mustWait(budget, T0 + 30_000)).toBe(false);
    expect(reserveRequest(budget, null, T0 + 30_000, 60_000).waitMs).toBe(0);
  });

  it('honours Retry-After, and the longest of all constraints', () => {
    const blocked = observeRateLimit(initialBudget(policy, T0), T0, null, 2000);
    expect(mustWait(blocked, T0 + 1999)).toBe(true);
    expect(reserveRequest(blocked, policy, T0 + 500, 60_000).waitMs).toBe(1500);
    const drained = reserveMany(initialBudget(policy, T0), 200, T0).budget;
    expect(reserveRequest(observeRateLimit(drained, T0, null, 100), policy, T0, 60_000).waitMs).toBe(300);
  });

  it('sends anyway after maxWaitMs when the reset is far off (e.g. skewed clocks)', () => {
    const budget = observeRateLimit(initialBudget(null, T0), T0, { remaining: 0, resetEpochSeconds: reset + 3600 }, null);
    expect(reserveRequest(budget, null, T0, 10_000).waitMs).toBe(10_000);
  });

  it('holds its budget over an injected clock', () => {
    let now = T0;
    const limiter = new RateLimiter({ requestsPerMinute: 60, burst: 1 }, 60_000, () => now);
    expect(limiter.reserve()).toBe(0);
    expect(limiter.reserve()).toBe(1000);
    now += 1000;
    limiter.observe(new Headers({ 'retry-after': '5' }));
    expect(limiter.mustWait()).toBe(true);
    expect(limiter.reserve()).toBe(5000);
  });
});
