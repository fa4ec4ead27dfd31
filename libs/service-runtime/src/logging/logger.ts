import { hostname } from 'node:os';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { currentCorrelation } from './correlation';
import { REDACT_PATHS, REDACTED, redactUrlCredentials, scrubUrlCredentials } from './redaction';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Service name, on every line as `service`. */
  readonly service: string;
  /** Minimum level; `silent` turns logging off. Default `info`. */
  readonly level?: Level | 'silent';
  /** Where lines go; default stdout. Tests pass a stream to capture them. */
  readonly destination?: DestinationStream;
}

/**
 * A JSON logger: ISO `time`, `level` as a label, `service`, `pid`, `hostname`, the current
 * `correlationId`/`causationId` when inside {@link runWithCorrelation}, and secrets redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => scrubUrlCredentials(object),
    },
    // The store is frozen and pino merges into the mixin's result, so hand it a copy.
    mixin: () => ({ ...currentCorrelation() }),
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: serializeError },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) =>
          typeof arg === 'string' ? redactUrlCredentials(arg) : arg,
        );
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  // pino's default destination writes stdout synchronously, so a crash does not lose its last lines.
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** pino's serialized error has its own prototype, which the log scrub leaves alone: copy it first. */
function serializeError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  return serialized !== null && typeof serialized === 'object'
    ? scrubUrlCredentials({ ...serialized })
    : serialized;
}
