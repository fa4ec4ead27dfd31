/**
 * Times of the API as PostgreSQL hands them over cheaply. `(t AT TIME ZONE 'UTC')::text` under
 * DateStyle ISO is the UTC wall time with up to six fraction digits, trailing zeros dropped
 * (`2026-03-02 14:30:00.5`); the API writes ISO-8601 UTC with exactly three, truncated as
 * `Date#toISOString` and `to_char(..., 'MS')` do (`2026-03-02T14:30:00.500Z`). Reshaping the text
 * costs a fraction of a `Date` or a `to_char` per row.
 */

const UTC_TEXT_FORM = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/;

/** `2026-03-02 14:30:00.123456` -> `2026-03-02T14:30:00.123Z`; anything else (BC, year 10000) is refused. */
export function isoOfUtcText(value: string): string {
  if (!UTC_TEXT_FORM.test(value)) throw new Error(`unexpected timestamp text: ${value}`);
  return value.length === 19 ? `${value.slice(0, 10)}T${value.slice(11)}.000Z` : `${value.slice(0, 10)}T${value.slice(11, 23).padEnd(12, '0')}Z`;
}
