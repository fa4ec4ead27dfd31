import { describe, expect, it } from '@jest/globals';
import { currentCorrelation, runWithCorrelation } from './correlation';
import { createLogger } from './logger';
import { PinoNestLogger } from './pino-nest-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  const logger = createLogger({ service: 'executor', level: 'debug', destination });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes JSON with the service, a level label and an ISO time', () => {
    const { logger, lines } = capture();
    logger.info({ orderId: 'o-1' }, 'order submitted');
    expect(lines).toEqual([
      expect.objectContaining({ service: 'executor', level: 'info', msg: 'order submitted', orderId: 'o-1' }),
    ]);
    expect(lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('adds the correlation of the running unit of work, across awaits, and only inside it', async () => {
    const { logger, lines } = capture();
    await runWithCorrelation({ correlationId: 'corr-1', causationId: 'evt-9' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ component: 'handler' }).info('inside');
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      msg: 'inside',
      correlationId: 'corr-1',
      causationId: 'evt-9',
      component: 'handler',
    });
    expect(lines[1]).toMatchObject({ msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('correlationId');
    expect(currentCorrelation()).toBeUndefined();
  });

  it('keeps concurrent units of work apart', async () => {
    const { logger, lines } = capture();
    const work = (id: string, delay: number) =>
      runWithCorrelation({ correlationId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        logger.info(id);
      });
    await Promise.all([work('a', 15), work('b', 1)]);
    expect(lines.map((l) => [l.msg, l.correlationId])).toEqual([
      ['b', 'b'],
      ['a', 'a'],
    ]);
  });

  it('redacts secret keys, authorization headers and URL passwords', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        broker: { apiKey: 'k', secretKey: 'sk-live-1', keyId: 'AKID1', endpoint: 'https://api.broker.test' },
        db: { password: 'pw1', user: 'executor' },
        nested: { deeper: { password: 'pw2' } },
        req: { headers: { authorization: 'Bearer abc', accept: 'json' } },
        config: { EXECUTOR_DATABASE_URL: 'postgresql://executor:s3cret@db:5432/executor' },
        urls: ['amqp://guest:guest2@mq/'],
      },
      'connecting to postgres://app:hunter2@db/app',
    );
    logger.error({ err: new Error('could not reach postgresql://x:pw3@db/x') }, 'boom');
    const text = JSON.stringify(lines);
    for (const secret of [
      'sk-live-1',
      'AKID1',
      'pw1',
      'pw2',
      'Bearer abc',
      's3cret',
      'guest2',
      'hunter2',
      'pw3',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      msg: 'connecting to postgres://app:[REDACTED]@db/app',
      broker: { secretKey: '[REDACTED]', keyId: '[REDACTED]', endpoint: 'https://api.broker.test' },
      db: { password: '[REDACTED]', user: 'executor' },
      req: { headers: { authorization: '[REDACTED]', accept: 'json' } },
      config: { EXECUTOR_DATABASE_URL: 'postgresql://executor:[REDACTED]@db:5432/executor' },
    });
    expect(lines[1]).toMatchObject({ err: { message: 'could not reach postgresql://x:[REDACTED]@db/x' } });
  });
});

describe('PinoNestLogger', () => {
  it("writes Nest's lines as JSON with their context and stack", () => {
    const { logger, lines } = capture();
    const nest = new PinoNestLogger(logger);
    nest.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    nest.error('handler failed', 'Error: x\n    at f (file.ts:1:2)', 'ExceptionsHandler');
    nest.warn({ dropped: 3 }, 'Outbox');
    nest.verbose('noise');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'Mapped {/health/live, GET} route',
        context: 'RouterExplorer',
      }),
      expect.objectContaining({
        level: 'error',
        msg: 'handler failed',
        context: 'ExceptionsHandler',
        stack: 'Error: x\n    at f (file.ts:1:2)',
      }),
      expect.objectContaining({ level: 'warn', context: 'Outbox', detail: { dropped: 3 } }),
    ]);
  });

  it('logs an Error with its serialized fields', () => {
    const { logger, lines } = capture();
    new PinoNestLogger(logger).error(new Error('bad'));
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'bad', err: { type: 'Error', message: 'bad' } });
  });
});
