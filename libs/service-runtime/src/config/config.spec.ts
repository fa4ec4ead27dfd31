import { describe, expect, it, jest } from '@jest/globals';
import { z } from 'zod';
import { ConfigError, type ExitIo, exitOnConfigError, loadConfig } from './config';
import { envBoolean, envCsv, envDurationMs, envPort, envUrl } from './env-fields';

const Schema = z.object({
  EXECUTOR_DATABASE_URL: envUrl(undefined, ['postgres', 'postgresql']),
  EXECUTOR_HTTP_PORT: envPort(3000),
  EXECUTOR_KAFKA_BROKERS: envCsv(),
  EXECUTOR_DRY_RUN: envBoolean(false),
  EXECUTOR_RECONCILE_EVERY: envDurationMs('15m'),
  EXECUTOR_LOG_LEVEL: z.enum(['debug', 'info', 'warn']).default('info'),
  EXECUTOR_ACCOUNT: z.string(),
});

const valid = {
  EXECUTOR_DATABASE_URL: 'postgresql://executor:pw@localhost:55432/executor',
  EXECUTOR_KAFKA_BROKERS: 'localhost:9092, localhost:9093,',
  EXECUTOR_ACCOUNT: 'paper-1',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(Schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const config = loadConfig(Schema, {
      ...valid,
      EXECUTOR_HTTP_PORT: '8080',
      EXECUTOR_DRY_RUN: 'YES',
      UNRELATED: 'x',
    });
    expect(config).toEqual({
      EXECUTOR_DATABASE_URL: valid.EXECUTOR_DATABASE_URL,
      EXECUTOR_HTTP_PORT: 8080,
      EXECUTOR_KAFKA_BROKERS: ['localhost:9092', 'localhost:9093'],
      EXECUTOR_DRY_RUN: true,
      EXECUTOR_RECONCILE_EVERY: 900_000,
      EXECUTOR_LOG_LEVEL: 'info',
      EXECUTOR_ACCOUNT: 'paper-1',
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.EXECUTOR_KAFKA_BROKERS)).toBe(true);
  });

  it('lists every problem at once, each naming its variable', () => {
    const env = {
      EXECUTOR_HTTP_PORT: 'eighty',
      EXECUTOR_KAFKA_BROKERS: ' , ',
      EXECUTOR_DRY_RUN: 'maybe',
      EXECUTOR_RECONCILE_EVERY: '15',
      EXECUTOR_LOG_LEVEL: 'loud',
    };
    expect(problemsOf(env).sort()).toEqual([
      'EXECUTOR_ACCOUNT: required',
      'EXECUTOR_DATABASE_URL: required',
      'EXECUTOR_DRY_RUN: expected true or false',
      'EXECUTOR_HTTP_PORT: expected a number',
      'EXECUTOR_KAFKA_BROKERS: expected a comma-separated list',
      expect.stringMatching(/^EXECUTOR_LOG_LEVEL: .*"debug"/) as unknown as string,
      'EXECUTOR_RECONCILE_EVERY: expected a duration such as 500ms, 5s or 15m',
    ]);
  });

  it('puts the whole list in the message, one line per problem', () => {
    expect(() => loadConfig(Schema, { EXECUTOR_HTTP_PORT: '70000' })).toThrow(
      'Invalid configuration, 4 problems:\n' +
        '  EXECUTOR_DATABASE_URL: required\n' +
        '  EXECUTOR_HTTP_PORT: expected a port between 0 and 65535\n' +
        '  EXECUTOR_KAFKA_BROKERS: required\n' +
        '  EXECUTOR_ACCOUNT: required',
    );
  });

  it('treats a blank variable as unset', () => {
    expect(problemsOf({ ...valid, EXECUTOR_ACCOUNT: '  ' })).toEqual(['EXECUTOR_ACCOUNT: required']);
    expect(loadConfig(Schema, { ...valid, EXECUTOR_HTTP_PORT: '' }).EXECUTOR_HTTP_PORT).toBe(3000);
  });

  it('never echoes a value, which may be a secret', () => {
    const message = problemsOf({ ...valid, EXECUTOR_DATABASE_URL: 'mysql://root:hunter2@db/x' }).join('\n');
    expect(message).toBe('EXECUTOR_DATABASE_URL: expected a postgres: or postgresql: URL');
  });

  it('names a wrong type for a plain zod field', () => {
    const Numeric = z.object({ APP_RETRIES: z.coerce.number().int() });
    expect(() => loadConfig(Numeric, { APP_RETRIES: '1.5' })).toThrow(/APP_RETRIES: .*int/i);
  });
});

describe('exitOnConfigError', () => {
  function fakeIo(): ExitIo & { written: string[] } {
    const written: string[] = [];
    return {
      written,
      stderr: { write: (text: string) => written.push(text) },
      exit: jest.fn((code: number): never => {
        throw new Error(`exit ${code}`);
      }),
    };
  }

  it('prints the list to stderr and exits 1', () => {
    const io = fakeIo();
    expect(() => exitOnConfigError(() => loadConfig(Schema, {}), io)).toThrow('exit 1');
    expect(io.exit).toHaveBeenCalledWith(1);
    expect(io.written.join('')).toContain('EXECUTOR_DATABASE_URL: required\n');
  });

  it('does the same for an async function', async () => {
    const io = fakeIo();
    await expect(
      exitOnConfigError(() => Promise.resolve().then(() => loadConfig(Schema, {})), io),
    ).rejects.toThrow('exit 1');
    expect(io.written.join('')).toContain('Invalid configuration');
  });

  it('passes values through and rethrows other errors', () => {
    const io = fakeIo();
    expect(exitOnConfigError(() => 42, io)).toBe(42);
    expect(() =>
      exitOnConfigError(() => {
        throw new TypeError('bug');
      }, io),
    ).toThrow(TypeError);
    expect(io.exit).not.toHaveBeenCalled();
  });
});
