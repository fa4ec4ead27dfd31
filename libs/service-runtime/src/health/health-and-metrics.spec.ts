import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Registry } from 'prom-client';
import { handlerMetrics } from '../metrics/handler-metrics';
import { METRICS_REGISTRY } from '../metrics/metrics-registry';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthModule } from './health.module';
import { ReadinessRegistry } from './readiness.registry';

/** Value of the one sample of `name` carrying `labels` (in any order) and `service="executor"`. */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries({ ...labels, service: 'executor' }).map(([k, v]) => `${k}="${v}"`);
  const matches = body
    .split('\n')
    .map((line) => /^(\w+)\{(.*)\} (\S+)$/.exec(line))
    .filter((m) => m?.[1] === name && m[2]?.split(',').sort().join(',') === [...wanted].sort().join(','));
  return matches.length === 1 ? Number(matches[0]?.[3]) : undefined;
}

describe('HealthModule and MetricsModule on Fastify', () => {
  let app: NestFastifyApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRoot({ checkTimeoutMs: 100 }),
        MetricsModule.forRoot({ service: 'executor' }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterEach(async () => {
    await app.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('answers liveness', async () => {
    const response = await get('/health/live');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('flips readiness between 200 and 503 as a registered check changes', async () => {
    let connected = false;
    app
      .get(ReadinessRegistry)
      .register('kafka', () =>
        Promise.resolve(connected ? true : { ok: false, detail: 'consumer not joined' }),
      );

    const down = await get('/health/ready');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not_ready',
      checks: [{ name: 'kafka', ok: false, detail: 'consumer not joined' }],
    });

    connected = true;
    const up = await get('/health/ready');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ready', checks: [{ name: 'kafka', ok: true, detail: null }] });

    connected = false;
    expect((await get('/health/ready')).statusCode).toBe(503);
  });

  it('is not ready while a check hangs past its timeout', async () => {
    app.get(ReadinessRegistry).register('database', () => new Promise<boolean>(() => undefined));
    const response = await get('/health/ready');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      checks: [{ name: 'database', ok: false, detail: 'timed out after 100 ms' }],
    });
  });

  it('serves handler metrics and default metrics in the text exposition format', async () => {
    const metrics = handlerMetrics(app.get<Registry>(METRICS_REGISTRY));
    metrics.startTimer('order-filled')('processed');
    metrics.record('order-filled', 'duplicate', 0.002);
    metrics.record('order-filled', 'duplicate', 0.003);

    const response = await get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body).toContain('# TYPE tlp_handler_messages_total counter');
    expect(
      sample(response.body, 'tlp_handler_messages_total', { handler: 'order-filled', outcome: 'processed' }),
    ).toBe(1);
    expect(
      sample(response.body, 'tlp_handler_messages_total', { handler: 'order-filled', outcome: 'duplicate' }),
    ).toBe(2);
    expect(sample(response.body, 'tlp_handler_duration_seconds_count', { handler: 'order-filled' })).toBe(3);
    expect(
      sample(response.body, 'tlp_handler_duration_seconds_bucket', { handler: 'order-filled', le: '0.005' }),
    ).toBe(3);
    expect(response.body).toMatch(/^process_cpu_user_seconds_total\{service="executor"\} /m);
  });

  it('hands out the same handler metrics for one registry', () => {
    const registry = app.get<Registry>(METRICS_REGISTRY);
    expect(handlerMetrics(registry)).toBe(handlerMetrics(registry));
  });
});
