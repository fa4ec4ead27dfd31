/**
 * Rate limiting, the circuit breaker, retry rules and metrics of the Alpaca adapter against the
 * in-process paper broker. The adapter's clock and sleep are fake (a sleep advances the clock), so
 * minute-long rate-limit windows and cool-downs pass instantly; where the paper broker shares that
 * clock, its rate-limit window moves with it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { Registry } from 'prom-client';
import { adapterConfig, order, startBroker, type FaultInjector, type PaperBrokerHandle } from '../../test/paper-broker.fixture';
import { brokerOrderId } from '../broker-ids';
import { createBrokerPromMetrics } from '../broker-prom.metrics';
import { AlpacaBrokerAdapter } from './alpaca-broker.adapter';

jest.setTimeout(20_000);

function fakeTime(startMs: number) {
  const clock = { now: startMs, sleeps: [] as number[] };
  const deps = {
    nowMs: () => clock.now,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  };
  return { clock, deps };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ value: number; labels: Record<string, string | number> }>;
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value ?? 0;
}

async function requestsSeen(paper: PaperBrokerHandle): Promise<number> {
  const response = await fetch(`${paper.url}/_admin/stats`);
  return ((await response.json()) as { requests: number }).requests;
}

describe('rate limit', () => {
  const { clock, deps } = fakeTime(Date.parse('2026-11-24T15:00:30Z'));
  let paper: PaperBrokerHandle;

  beforeAll(async () => {
    paper = await startBroker({ PAPER_BROKER_RATE_LIMIT_PER_MINUTE: '200' }, { nowMs: deps.nowMs });
  });

  afterAll(async () => {
    await paper.close();
  });

  it('holds the 201st request of a minute until the window resets instead of getting 429', async () => {
    const registry = new Registry();
    const broker = new AlpacaBrokerAdapter(adapterConfig(paper, { maxRateLimitWaitMs: 60_000 }), {
      ...deps,
      metrics: createBrokerPromMetrics(registry),
    });
    for (let i = 0; i < 200; i += 1) await broker.getClock();
    expect(clock.sleeps).toEqual([]);
    expect((await broker.getClock()).isOpen).toBe(true);
    expect(clock.sleeps).toEqual([30_000]);
    expect(await metricValue(registry, 'tlp_broker_requests_total', { route: '/v2/clock', method: 'GET', outcome: 'ok' })).toBe(201);
    expect(await metricValue(registry, 'tlp_broker_rate_limited_total')).toBe(0);
    expect(await metricValue(registry, 'tlp_broker_rate_limit_wait_seconds_total')).toBe(30);
  });

  it('paces to the configured rate even when the server does not object', async () => {
    clock.sleeps.length = 0;
    const broker = new AlpacaBrokerAdapter(adapterConfig(paper, { maxRateLimitWaitMs: 60_000, rateLimit: { requestsPerMinute: 6, burst: 2 } }), deps);
    for (let i = 0; i < 3; i += 1) await broker.getClock();
    expect(clock.sleeps).toEqual([10_000]);
  });
});

describe('circuit breaker and retry rules', () => {
  const attempts = new Map<string, number>();
  let failing = false;
  const faults: FaultInjector = {
    interceptRequest: (method, path) => {
      const key = `${method} ${path.startsWith('/v2/orders/') ? '/v2/orders/:id' : path}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      return failing ? { status: 503, body: { message: 'service unavailable' } } : null;
    },
    copiesOf: () => 1,
  };
  const { clock, deps } = fakeTime(Date.now());
  const registry = new Registry();
  let paper: PaperBrokerHandle;
  let broker: AlpacaBrokerAdapter;

  beforeAll(async () => {
    paper = await startBroker({}, { faults });
    const config = adapterConfig(paper, {
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      circuitBreaker: { failureThreshold: 3, failureWindowMs: 10_000, coolDownMs: 5_000 },
    });
    broker = new AlpacaBrokerAdapter(config, { ...deps, metrics: createBrokerPromMetrics(registry) });
  });

  afterAll(async () => {
    await paper.close();
  });

  it('sends a cancel answered 5xx once, and surfaces it', async () => {
    failing = true;
    const error = await broker.cancelOrder(brokerOrderId('00000000-0000-4000-8000-000000000001')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVER_ERROR', httpStatus: 503 });
    expect(attempts.get('DELETE /v2/orders/:id')).toBe(1);
    expect(broker.circuitState()).toBe('CLOSED');
  });

  it('opens after repeated 5xx; then a submit is NOT_SENT and never reaches the broker', async () => {
    const error = await broker.getClock().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', retriable: true, httpStatus: null, unsent: true });
    expect(attempts.get('GET /v2/clock')).toBe(2);
    expect(broker.circuitState()).toBe('OPEN');
    expect(broker.isHealthy()).toBe(false);
    expect(await metricValue(registry, 'tlp_broker_circuit_state')).toBe(2);

    const before = await requestsSeen(paper);
    const result = await broker.submitOrder(order());
    expect(result).toMatchObject({ outcome: 'NOT_SENT', reason: expect.stringContaining('circuit breaker open') });
    expect((await requestsSeen(paper)) - before).toBe(1);
    expect(attempts.get('POST /v2/orders')).toBeUndefined();
  });

  it('reopens when the probe after the cool-down fails', async () => {
    clock.now += 5_000;
    expect(broker.circuitState()).toBe('HALF_OPEN');
    await expect(broker.getClock()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(attempts.get('GET /v2/clock')).toBe(3);
    expect(broker.circuitState()).toBe('OPEN');
  });

  it('closes when the probe after the cool-down succeeds, and submits again', async () => {
    failing = false;
    clock.now += 5_000;
    expect(await metricValue(registry, 'tlp_broker_circuit_state')).toBe(2);
    expect((await broker.getClock()).isOpen).toBeDefined();
    expect(broker.circuitState()).toBe('CLOSED');
    expect(await metricValue(registry, 'tlp_broker_circuit_state')).toBe(0);
    expect((await broker.submitOrder(order())).outcome).toBe('ACCEPTED');
  });

  it('exports bounded series: templated routes, never raw ids', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    expect(await broker.getOrder(brokerOrderId(id))).toBeNull();
    const text = await registry.metrics();
    expect(text).not.toContain(id);
    expect(await metricValue(registry, 'tlp_broker_requests_total', { route: '/v2/orders/:id', method: 'GET', outcome: 'client_error' })).toBe(1);
    expect(await metricValue(registry, 'tlp_broker_requests_total', { route: '/v2/orders/:id', method: 'DELETE', outcome: 'server_error' })).toBe(1);
    expect(await metricValue(registry, 'tlp_broker_errors_total', { route: '/v2/clock', kind: 'server_error' })).toBe(3);
    expect(await metricValue(registry, 'tlp_broker_requests_total', { route: '/v2/orders', method: 'POST', outcome: 'ok' })).toBe(1);
    expect(text).toMatch(/tlp_broker_request_duration_seconds_count\{route="\/v2\/clock",method="GET"\} \d+/);
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    expect([...routes].sort()).toEqual(['/v2/clock', '/v2/orders', '/v2/orders/:id']);
  });
});

describe('a broker that refuses connections', () => {
  it('calls a submit NOT_SENT: the request never left', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const broker = new AlpacaBrokerAdapter({ ...adapterConfig({ url, wsUrl: `ws://127.0.0.1:${port}/stream`, port, close: () => Promise.resolve() }) });
    expect(await broker.submitOrder(order())).toMatchObject({ outcome: 'NOT_SENT', reason: expect.stringContaining('could not connect') });
  });
});
