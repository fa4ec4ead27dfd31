const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** A duration written with its unit, e.g. `500ms`, `5s`, `15m`, `1h`. */
export type DurationText = `${number}${keyof typeof UNIT_MS}`;

/**
 * Parses `500ms`, `5s`, `1.5s`, `15m` or `2h` into whole milliseconds. Returns `undefined` for
 * anything else (a fraction of a millisecond too), including a bare number: the unit is required so `5` is never read as 5 ms by
 * someone who meant 5 s.
 */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  const exact = Number(amount) * UNIT_MS[unit];
  const ms = Math.round(exact);
  // `1.1s` is 1100.0000000000002 in binary floating point; only a real fraction of a millisecond is refused.
  return Number.isSafeInteger(ms) && Math.abs(exact - ms) < 1e-6 ? ms : undefined;
}
