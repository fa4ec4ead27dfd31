import { describe, expect, it } from '@jest/globals';
import { FixedClock, SystemClock } from './clock';

describe('clocks', () => {
  it('FixedClock stands still until set or advanced, and hands out copies', () => {
    const clock = new FixedClock('2026-03-01T09:30:00.000Z');
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-03-01T09:30:00.000Z');
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2026-03-01T09:30:01.500Z');
    clock.set(new Date('2026-03-02T00:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('SystemClock reads the system time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
