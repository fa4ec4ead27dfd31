import { describe, expect, it } from '@jest/globals';
import { parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['1.1s', 1_100],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['0s', 0],
    [' 30s ', 30_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '5', '5 s', '-5s', '5d', 's', '0.5ms', 'five seconds', '1e3ms'])('refuses %p', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});
