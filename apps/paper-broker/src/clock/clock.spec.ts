import { describe, expect, it } from '@jest/globals';
import { easternDate, easternOffsetMinutes, easternToEpochMs, formatEastern } from './eastern-time';
import { readClock } from './market-clock';
import { everyDayBetween, holidaysOf, sessionOn, sessionsBetween } from './nyse-calendar';
import { compactMs, formatNs, NanoTimestamps, parseTimestampNs } from './timestamps';

describe('eastern time', () => {
  it('switches offset on the DST boundaries', () => {
    expect(easternOffsetMinutes(Date.parse('2026-03-08T06:59:59Z'))).toBe(-300);
    expect(easternOffsetMinutes(Date.parse('2026-03-08T07:00:00Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2026-11-01T05:59:59Z'))).toBe(-240);
    expect(easternOffsetMinutes(Date.parse('2026-11-01T06:00:00Z'))).toBe(-300);
  });

  it('converts wall-clock times and formats with the offset', () => {
    expect(new Date(easternToEpochMs('2026-07-01', '09:30')).toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect(new Date(easternToEpochMs('2026-12-01', '16:00')).toISOString()).toBe('2026-12-01T21:00:00.000Z');
    expect(formatEastern(Date.parse('2026-12-01T21:00:00.5Z'))).toBe('2026-12-01T16:00:00.500-05:00');
    expect(easternDate(Date.parse('2026-12-02T03:00:00Z'))).toBe('2026-12-01');
  });
});

describe('NYSE calendar', () => {
  it('knows the 2026 holidays', () => {
    expect([...holidaysOf(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('leaves holidays and weekends out and closes early around them', () => {
    const days = sessionsBetween('2026-11-23', '2026-11-30');
    expect(days.map((d) => `${d.date} ${d.close}`)).toEqual([
      '2026-11-23 16:00',
      '2026-11-24 16:00',
      '2026-11-25 16:00',
      '2026-11-27 13:00',
      '2026-11-30 16:00',
    ]);
    expect(sessionOn('2026-12-24')?.close).toBe('13:00');
    expect(sessionOn('2025-07-03')?.close).toBe('13:00');
    expect(sessionOn('2027-12-24')).toBeNull();
    expect(sessionOn('2025-01-09')).toBeNull();
    expect(sessionOn('2022-01-01')).toBeNull();
    expect(sessionOn('2021-12-31')?.close).toBe('16:00');
  });

  it('every-day: each date a whole-day session, Thanksgiving and the weekend included', () => {
    expect(everyDayBetween('2026-11-26', '2026-11-29').map((d) => `${d.date} ${d.open}-${d.close}`)).toEqual([
      '2026-11-26 00:00-23:59',
      '2026-11-27 00:00-23:59',
      '2026-11-28 00:00-23:59',
      '2026-11-29 00:00-23:59',
    ]);
  });
});

describe('market clock', () => {
  it('is open in the regular session only in real mode', () => {
    const during = readClock(Date.parse('2026-11-24T15:00:00Z'), 'real');
    expect(during.isOpen).toBe(true);
    expect(new Date(during.nextCloseMs).toISOString()).toBe('2026-11-24T21:00:00.000Z');
    expect(new Date(during.nextOpenMs).toISOString()).toBe('2026-11-25T14:30:00.000Z');
    const holiday = readClock(Date.parse('2026-11-26T15:00:00Z'), 'real');
    expect(holiday.isOpen).toBe(false);
    expect(new Date(holiday.nextOpenMs).toISOString()).toBe('2026-11-27T14:30:00.000Z');
    expect(new Date(holiday.nextCloseMs).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    const early = readClock(Date.parse('2026-11-24T12:00:00Z'), 'real');
    expect(early.isOpen).toBe(false);
    expect(new Date(early.nextOpenMs).toISOString()).toBe('2026-11-24T14:30:00.000Z');
  });

  it('is always open in always mode', () => {
    expect(readClock(Date.parse('2026-11-26T15:00:00Z'), 'always').isOpen).toBe(true);
  });
});

describe('nanosecond timestamps', () => {
  it('never repeats within a millisecond', () => {
    const source = new NanoTimestamps(() => 1_700_000_000_000);
    const a = source.next();
    const b = source.next();
    expect(b - a).toBe(1n);
    expect(formatNs(b)).toBe('2023-11-14T22:13:20.000000001Z');
    expect(compactMs(b)).toBe('20231114221320000');
  });

  it('parses query timestamps with offsets and any precision', () => {
    expect(parseTimestampNs('2023-11-14T22:13:20.000000001Z')).toBe(1_700_000_000_000_000_001n);
    expect(parseTimestampNs('2023-11-14T17:13:20-05:00')).toBe(1_700_000_000_000_000_000n);
    expect(parseTimestampNs('2023-11-14')).toBe(BigInt(Date.parse('2023-11-14T00:00:00Z')) * 1_000_000n);
    expect(parseTimestampNs('yesterday')).toBeNull();
  });
});
