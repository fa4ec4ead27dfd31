import { z } from 'zod';
import { type DurationText, parseDurationMs } from './duration';

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** A zod field over one environment variable: `string | undefined` in, `T` out. */
export type EnvField<T> = z.ZodType<T, string | undefined>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (problem: string): Parsed<never> => ({ ok: false, problem });

/**
 * Builds a field that is `required` when unset or blank unless it has a default. Problems never
 * echo the value: it may be a secret (a URL with a password, a key).
 */
function envField<T>(parse: (text: string) => Parsed<T>, defaultValue: T | undefined): EnvField<T> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const text = raw?.trim() ?? '';
      if (text === '') {
        if (defaultValue !== undefined) return defaultValue;
        ctx.addIssue({ code: 'custom', message: 'required' });
        return z.NEVER;
      }
      const parsed = parse(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    });
}

/** A TCP port, 0 to 65535 (0 lets the OS choose, for tests). */
export function envPort(defaultValue?: number): EnvField<number> {
  return envField((text) => {
    if (!/^\d+$/.test(text)) return fail('expected a number');
    const port = Number(text);
    return port <= 65_535 ? ok(port) : fail('expected a port between 0 and 65535');
  }, defaultValue);
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** `true|false` (also `1|0`, `yes|no`, `on|off`, any case). */
export function envBoolean(defaultValue?: boolean): EnvField<boolean> {
  return envField((text) => {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return ok(true);
    if (FALSE.has(lower)) return ok(false);
    return fail('expected true or false');
  }, defaultValue);
}

/** A duration with its unit (`500ms`, `5s`, `15m`, `1h`) as whole milliseconds. */
export function envDurationMs(defaultValue?: number | DurationText): EnvField<number> {
  const fallback = typeof defaultValue === 'string' ? parseDurationMs(defaultValue) : defaultValue;
  if (typeof defaultValue === 'string' && fallback === undefined) {
    throw new Error(`envDurationMs: invalid default ${defaultValue}`);
  }
  return envField((text) => {
    const ms = parseDurationMs(text);
    return ms === undefined ? fail('expected a duration such as 500ms, 5s or 15m') : ok(ms);
  }, fallback);
}

/** A comma-separated list, items trimmed, blanks dropped: `a, b,c` → `['a', 'b', 'c']`. */
export function envCsv(defaultValue?: readonly string[]): EnvField<readonly string[]> {
  return envField((text) => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    return items.length > 0 ? ok(items) : fail('expected a comma-separated list');
  }, defaultValue);
}

/**
 * An absolute URL, returned as given. `protocols` restricts the scheme, without the colon:
 * `envUrl(undefined, ['postgres', 'postgresql'])`.
 */
export function envUrl(defaultValue?: string, protocols?: readonly string[]): EnvField<string> {
  const expected = protocols
    ? `expected a ${protocols.map((p) => `${p}:`).join(' or ')} URL`
    : 'expected a URL';
  return envField((text) => {
    if (!URL.canParse(text)) return fail(expected);
    const scheme = new URL(text).protocol.slice(0, -1);
    return !protocols || protocols.includes(scheme) ? ok(text) : fail(expected);
  }, defaultValue);
}
