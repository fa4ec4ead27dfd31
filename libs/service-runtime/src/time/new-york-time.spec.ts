import { isWallClockTime, newYorkWallClock } from './new-york-time';

describe('newYorkWallClock', () => {
  it('follows daylight saving: UTC-4 in summer, UTC-5 in winter', () => {
    expect(newYorkWallClock(new Date('2026-07-01T13:45:00Z'))).toEqual({ date: '2026-07-01', time: '09:45' });
    expect(newYorkWallClock(new Date('2026-11-24T14:45:00Z'))).toEqual({ date: '2026-11-24', time: '09:45' });
  });

  it('gives the New York date, which lags UTC in the evening', () => {
    expect(newYorkWallClock(new Date('2026-11-25T03:30:00Z'))).toEqual({ date: '2026-11-24', time: '22:30' });
  });
});

describe('isWallClockTime', () => {
  it('accepts HH:MM from 00:00 to 23:59 only', () => {
    expect(['00:00', '09:45', '23:59'].every(isWallClockTime)).toBe(true);
    expect(['24:00', '9:45', '09:60', '0945'].some(isWallClockTime)).toBe(false);
  });
});
