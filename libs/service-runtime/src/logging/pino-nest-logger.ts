import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

const STACK = /^.+\n\s+at .+/s;

/**
 * Nest's `LoggerService` over pino, so the framework's own lines (module init, routes, unhandled
 * errors) are JSON with the same fields as the app's. Nest passes the context (a class name) as
 * the last string argument and, for errors, a stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = params.filter((param) => param !== undefined);
    const context =
      rest.length > 0 && typeof rest.at(-1) === 'string' && !STACK.test(rest.at(-1) as string)
        ? (rest.pop() as string)
        : undefined;
    const stack =
      typeof rest.at(-1) === 'string' && STACK.test(rest.at(-1) as string)
        ? (rest.pop() as string)
        : undefined;
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields.context = context;
    if (stack !== undefined) fields.stack = stack;
    if (rest.length > 0) fields.args = rest;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'string') {
      this.logger[level](fields, message);
    } else {
      this.logger[level]({ ...fields, detail: message });
    }
  }
}
