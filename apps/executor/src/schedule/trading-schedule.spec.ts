import { checkRunDue, newYorkWallClock, type TradingDay } from './trading-schedule';

const regular = (date: string): TradingDay => ({ date, open: '09:30', close: '16:00' });

describe('newYorkWallClock', () => {
  it('follows EST in winter and EDT in summer', () => {
    expect(newYorkWallClock(new Date('2026-01-15T14:45:00Z'))).toEqual({ date: '2026-01-15', time: '09:45' });
    expect(newYorkWallClock(new Date('2026-07-15T13:45:00Z'))).toEqual({ date: '2026-07-15', time: '09:45' });
  });

  it('gives the New York date, not the UTC date, late in the evening', () => {
    expect(newYorkWallClock(new Date('2026-11-25T01:30:00Z'))).toEqual({ date: '2026-11-24', time: '20:30' });
  });

  it('uses 00 for midnight', () => {
    expect(newYorkWallClock(new Date('2026-01-15T05:00:00Z'))).toEqual({ date: '2026-01-15', time: '00:00' });
  });
});

describe('checkRunDue', () => {
  it('is due at and after 09:45 New York on a trading day', () => {
    const days = [regular('2026-01-15')];
    expect(checkRunDue(new Date('2026-01-15T14:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-01-15' });
    expect(checkRunDue(new Date('2026-01-15T17:00:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-01-15' });
  });

  it('is not due before 09:45', () => {
    expect(checkRunDue(new Date('2026-01-15T14:44:59Z'), [regular('2026-01-15')], '09:45')).toMatchObject({ kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME' });
  });

  it('is not due at or after the close: the orders wait for the next trading day', () => {
    expect(checkRunDue(new Date('2026-01-15T21:00:00Z'), [regular('2026-01-15')], '09:45')).toMatchObject({ kind: 'NOT_DUE', reason: 'SESSION_CLOSED' });
  });

  it('never runs before the session opens, whatever the configured time', () => {
    const days = [regular('2026-01-15')];
    expect(checkRunDue(new Date('2026-01-15T14:00:00Z'), days, '08:00')).toMatchObject({ kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME' });
    expect(checkRunDue(new Date('2026-01-15T14:30:00Z'), days, '08:00')).toEqual({ kind: 'DUE', runDate: '2026-01-15' });
  });

  it('skips a weekend (absent from the calendar)', () => {
    // Saturday 2026-01-17, 10:00 New York; the calendar lists Friday and Monday only.
    const days = [regular('2026-01-16'), regular('2026-01-19')];
    expect(checkRunDue(new Date('2026-01-17T15:00:00Z'), days, '09:45')).toEqual({ kind: 'NOT_DUE', reason: 'NOT_A_TRADING_DAY', date: '2026-01-17' });
  });

  it('skips a holiday (absent from the calendar)', () => {
    // Thanksgiving, Thursday 2026-11-26.
    const days = [regular('2026-11-25'), { date: '2026-11-27', open: '09:30', close: '13:00' }];
    expect(checkRunDue(new Date('2026-11-26T15:00:00Z'), days, '09:45')).toEqual({ kind: 'NOT_DUE', reason: 'NOT_A_TRADING_DAY', date: '2026-11-26' });
  });

  it('runs at 09:45 on a half day, but not after its 13:00 close', () => {
    const days = [{ date: '2026-11-27', open: '09:30', close: '13:00' }];
    expect(checkRunDue(new Date('2026-11-27T14:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-11-27' });
    expect(checkRunDue(new Date('2026-11-27T18:00:00Z'), days, '09:45')).toMatchObject({ kind: 'NOT_DUE', reason: 'SESSION_CLOSED' });
  });

  it('runs at 09:45 local across the March change to daylight saving time', () => {
    // DST starts Sunday 2026-03-08: Friday 03-06 is UTC-5, Monday 03-09 is UTC-4.
    const days = [regular('2026-03-06'), regular('2026-03-09')];
    expect(checkRunDue(new Date('2026-03-06T14:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-03-06' });
    expect(checkRunDue(new Date('2026-03-09T13:44:00Z'), days, '09:45')).toMatchObject({ kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME' });
    expect(checkRunDue(new Date('2026-03-09T13:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-03-09' });
  });

  it('runs at 09:45 local across the November change back to standard time', () => {
    // DST ends Sunday 2026-11-01: Friday 10-30 is UTC-4, Monday 11-02 is UTC-5.
    const days = [regular('2026-10-30'), regular('2026-11-02')];
    expect(checkRunDue(new Date('2026-10-30T13:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-10-30' });
    expect(checkRunDue(new Date('2026-11-02T13:45:00Z'), days, '09:45')).toMatchObject({ kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME' });
    expect(checkRunDue(new Date('2026-11-02T14:45:00Z'), days, '09:45')).toEqual({ kind: 'DUE', runDate: '2026-11-02' });
  });
});
