/**
 * Secrets never reach a log line. Two layers: key paths pino censors wherever they appear up to
 * three levels deep, and a value scrub that blanks the password of any `scheme://user:password@`
 * URL found in a logged string (messages, fields, error messages and stacks).
 */

const SECRET_KEYS = ['password', 'secretKey', 'keyId', 'authorization', 'apiKey', 'secret', 'token'];

const HEADER_PATHS = ['headers.authorization', 'req.headers.authorization', 'request.headers.authorization'];

/** Pino `redact.paths`: each secret key at the top level and nested one or two objects deep. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...HEADER_PATHS,
  ...HEADER_PATHS.map((path) => `*.${path}`),
];

export const REDACTED = '[REDACTED]';

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s@/?#]*@/gi;

/** `postgres://app:s3cret@db/x` → `postgres://app:[REDACTED]@db/x`, wherever it occurs in `text`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
}

const MAX_DEPTH = 6;

/**
 * Returns `value` with URL passwords blanked in every string of plain objects and arrays, copying
 * only what changes. Other objects (errors, dates, buffers) are left to their serializers.
 */
export function scrubUrlCredentials<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T;
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const scrubbed = items.map((item) => scrubUrlCredentials(item, depth + 1));
    return (scrubbed.some((item, i) => item !== items[i]) ? scrubbed : value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
    return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const scrubbed = scrubUrlCredentials(item, depth + 1);
    if (scrubbed !== item) (copy ??= { ...record })[key] = scrubbed;
  }
  return (copy ?? value) as T;
}
