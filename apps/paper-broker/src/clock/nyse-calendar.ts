/**
 * NYSE trading days by rule: weekends and exchange holidays are absent, early-close days end at
 * 13:00 New York time. Holidays: New Year's Day (Sunday -> Monday; a Saturday one is not moved),
 * Martin Luther King Jr. Day, Washington's Birthday, Good Friday, Memorial Day, Juneteenth (from
 * 2022), Independence Day, Labor Day, Thanksgiving and Christmas (Saturday -> Friday, Sunday ->
 * Monday), plus the one-off closures listed below. Early closes: July 3 (Monday-Thursday), the day
 * after Thanksgiving, December 24 (Monday-Thursday).
 */
import { nthWeekdayOfMonth } from './eastern-time';

export const REGULAR_OPEN = '09:30';
export const REGULAR_CLOSE = '16:00';
export const EARLY_CLOSE = '13:00';

/** Unscheduled closures (national days of mourning and the like). */
const SPECIAL_CLOSURES: ReadonlySet<string> = new Set(['2018-12-05', '2025-01-09']);

export interface TradingSession {
  /** `YYYY-MM-DD`, New York. */
  date: string;
  open: string;
  close: string;
}

function iso(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month - 1, day);
}

/** A fixed-date holiday moved off the weekend: Saturday to Friday, Sunday to Monday. */
function observed(date: string): string {
  const weekday = weekdayOf(date);
  if (weekday === 6) return addDays(date, -1);
  if (weekday === 0) return addDays(date, 1);
  return date;
}

function lastMondayOfMay(year: number): string {
  const lastDay = new Date(Date.UTC(year, 4, 31)).getUTCDay();
  return iso(year, 4, 31 - ((lastDay + 6) % 7));
}

export function holidaysOf(year: number): Set<string> {
  const newYear = iso(year, 0, 1);
  const days = [
    weekdayOf(newYear) === 0 ? addDays(newYear, 1) : newYear,
    iso(year, 0, nthWeekdayOfMonth(year, 0, 1, 3)),
    iso(year, 1, nthWeekdayOfMonth(year, 1, 1, 3)),
    addDays(easterSunday(year), -2),
    lastMondayOfMay(year),
    observed(iso(year, 6, 4)),
    iso(year, 8, nthWeekdayOfMonth(year, 8, 1, 1)),
    iso(year, 10, nthWeekdayOfMonth(year, 10, 4, 4)),
    observed(iso(year, 11, 25)),
  ];
  if (year >= 2022) days.push(observed(iso(year, 5, 19)));
  return new Set(days.filter((day) => day.startsWith(String(year))));
}

function isEarlyClose(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const weekday = weekdayOf(date);
  const mondayToThursday = weekday >= 1 && weekday <= 4;
  if (date === iso(year, 6, 3) || date === iso(year, 11, 24)) return mondayToThursday;
  return date === addDays(iso(year, 10, nthWeekdayOfMonth(year, 10, 4, 4)), 1);
}

/** The session of a New York date, or null when the exchange is closed all day. */
export function sessionOn(date: string): TradingSession | null {
  const weekday = weekdayOf(date);
  if (weekday === 0 || weekday === 6) return null;
  if (SPECIAL_CLOSURES.has(date) || holidaysOf(Number(date.slice(0, 4))).has(date)) return null;
  return { date, open: REGULAR_OPEN, close: isEarlyClose(date) ? EARLY_CLOSE : REGULAR_CLOSE };
}

/** Sessions from `start` to `end` inclusive (`YYYY-MM-DD`). */
export function sessionsBetween(start: string, end: string): TradingSession[] {
  const sessions: TradingSession[] = [];
  for (let date = start; date <= end; date = addDays(date, 1)) {
    const session = sessionOn(date);
    if (session) sessions.push(session);
  }
  return sessions;
}

/**
 * Every date a whole-day session, weekends and holidays included (`PAPER_BROKER_CALENDAR=every-day`),
 * so a test can schedule work at any time of any day.
 */
export function everyDayBetween(start: string, end: string): TradingSession[] {
  const sessions: TradingSession[] = [];
  for (let date = start; date <= end; date = addDays(date, 1)) sessions.push({ date, open: '00:00', close: '23:59' });
  return sessions;
}

/** The first session strictly after `date`. */
export function nextSessionAfter(date: string): TradingSession {
  for (let day = addDays(date, 1); ; day = addDays(day, 1)) {
    const session = sessionOn(day);
    if (session) return session;
  }
}

export { addDays };
