/**
 * Every fault kind through the real HTTP and WebSocket server, started in-process on a free port
 * with a still market (no infrastructure, well under a second per case).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WebSocket, type RawData } from 'ws';
import { loadPaperBrokerConfig } from '../paper-broker.config';
import { startPaperBroker, type PaperBrokerHandle } from '../paper-broker.server';

type Json = Record<string, unknown>;
interface NewOrder extends Json {
  client_order_id: string;
}
interface TradeUpdateJson {
  event: string;
  qty?: string;
  execution_id?: string;
  order: { id: string; client_order_id: string; status: string };
}

const KEYS = { 'APCA-API-KEY-ID': 'paper-key', 'APCA-API-SECRET-KEY': 'paper-secret' };
let paper: PaperBrokerHandle;
let sequence = 0;

function start(env: Record<string, string> = {}): Promise<PaperBrokerHandle> {
  const config = loadPaperBrokerConfig({
    PAPER_BROKER_PORT: '0',
    PAPER_BROKER_TICK_MS: '0',
    PAPER_BROKER_LATENCY_MS: '5',
    PAPER_BROKER_HEARTBEAT_MS: '0',
    PAPER_BROKER_PRICES: 'AAPL:100.00,MSFT:200.00',
    ...env,
  });
  return startPaperBroker(config);
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Json | null }> {
  const response = await fetch(`${paper.url}${path}`, {
    method,
    headers: { ...KEYS, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : null };
}

const arm = (...rules: Json[]) => call('POST', '/_admin/faults', { rules });

function newOrder(over: Json = {}): NewOrder {
  sequence += 1;
  return { symbol: 'AAPL', qty: '10', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: `fi-${sequence}`, ...over };
}

async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A listening trade_updates client that records every update and whether the socket closed. */
class StreamClient {
  readonly updates: TradeUpdateJson[] = [];
  closed = false;
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
      if (message.stream === 'trade_updates') this.updates.push(message.data as TradeUpdateJson);
    });
    socket.on('close', () => (this.closed = true));
  }

  static async connect(): Promise<StreamClient> {
    const socket = new WebSocket(paper.wsUrl);
    const client = new StreamClient(socket);
    const replies: Json[] = [];
    socket.on('message', (data: RawData) => replies.push(JSON.parse((data as Buffer).toString('utf8')) as Json));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ action: 'auth', key: 'paper-key', secret: 'paper-secret' }));
    socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    await waitFor(() => replies.some((r) => r.stream === 'listening'), 'listening');
    return client;
  }

  of(clientOrderId: string): TradeUpdateJson[] {
    return this.updates.filter((u) => u.order.client_order_id === clientOrderId);
  }

  eventsOf(clientOrderId: string): string[] {
    return this.of(clientOrderId).map((u) => u.event);
  }

  close(): void {
    this.socket.terminate();
  }
}

async function orderByClientId(clientOrderId: string): Promise<Json | null> {
  return (await call('GET', `/v2/orders:by_client_order_id?client_order_id=${clientOrderId}`)).body;
}

async function fillsOf(orderId: string): Promise<Json[]> {
  const page = (await call('GET', '/v2/account/activities/FILL?direction=asc')).body as unknown as Json[];
  return page.filter((a) => a.order_id === orderId);
}

beforeAll(async () => {
  paper = await start();
});

afterAll(async () => {
  await paper.close();
});

let stream: StreamClient;

beforeEach(async () => {
  await call('DELETE', '/_admin/faults');
  await call('POST', '/_admin/reset');
  stream = await StreamClient.connect();
});

afterEach(() => stream.close());

describe('admin API', () => {
  it('arms, lists and clears rules', async () => {
    const armed = await arm({ kind: 'error', route: 'GET /v2/orders/:id', status: 503, times: 'always' }, { kind: 'drop_stream', times: 2 });
    expect(armed.status).toBe(200);
    expect(armed.body).toMatchObject({ rules: [{ kind: 'error', code: 50310000, remaining: 'always' }, { kind: 'drop_stream', remaining: 2 }], disconnected: 0 });
    const [first] = (armed.body?.rules ?? []) as Json[];
    expect((await call('GET', '/_admin/faults')).body?.rules).toHaveLength(2);
    expect((await call('DELETE', `/_admin/faults/${String(first?.id)}`)).body).toEqual({ cleared: 1 });
    expect((await call('DELETE', '/_admin/faults')).body).toEqual({ cleared: 1 });
    expect((await call('GET', '/_admin/faults')).body).toEqual({ rules: [] });
  });

  it('refuses invalid rules with every problem', async () => {
    const response = await arm({ kind: 'error', status: 200 }, { kind: 'nope' });
    expect(response.status).toBe(422);
    expect(response.body?.message).toMatch(/rules\.0\.status.*rules\.1/);
  });
});

describe('faults', () => {
  it('1. splits the fills of the next AAPL order into the given parts', async () => {
    await arm({ kind: 'partial_fills', symbol: 'AAPL', parts: ['4', '3', '3'], delay_ms: 20 });
    const order = newOrder();
    const { body } = await call('POST', '/v2/orders', order);
    await waitFor(() => stream.eventsOf(order.client_order_id).includes('fill'), 'fill');
    expect(stream.of(order.client_order_id).map((u) => `${u.event}:${u.qty ?? ''}`)).toEqual(['new:', 'partial_fill:4', 'partial_fill:3', 'fill:3']);
    expect((await fillsOf(String(body?.id))).map((a) => a.qty)).toEqual(['4', '3', '3']);
  });

  it('2a. accepts an order, then rejects it on the stream', async () => {
    const order = newOrder();
    await arm({ kind: 'reject', client_order_id: order.client_order_id });
    const { status, body } = await call('POST', '/v2/orders', order);
    expect([status, body?.status]).toEqual([200, 'accepted']);
    await waitFor(() => stream.eventsOf(order.client_order_id).includes('rejected'), 'rejected');
    expect(stream.eventsOf(order.client_order_id)).toEqual(['rejected']);
    expect((await orderByClientId(order.client_order_id))?.status).toBe('rejected');
  });

  it('2b. refuses the submit with 403 insufficient buying power, then accepts the next', async () => {
    await arm({ kind: 'error', route: 'POST /v2/orders', status: 403, fields: { available: '0' } });
    const order = newOrder();
    const refused = await call('POST', '/v2/orders', order);
    expect([refused.status, refused.body]).toEqual([403, { available: '0', code: 40310000, message: 'insufficient buying power' }]);
    expect((await call('GET', `/v2/orders:by_client_order_id?client_order_id=${order.client_order_id}`)).status).toBe(404);
    expect((await call('POST', '/v2/orders', order)).status).toBe(200);
  });

  it('3. answers 429 with Retry-After and an exhausted budget, and 5xx until cleared', async () => {
    const { body: placed } = await call('POST', '/v2/orders', newOrder());
    await arm(
      { kind: 'error', route: 'GET /v2/orders/:id', status: 429, retry_after_s: 2, times: 2 },
      { kind: 'error', route: 'GET /v2/account/activities/FILL', status: 503, times: 'always' },
    );
    const path = `/v2/orders/${String(placed?.id)}`;
    const limited = await call('GET', path);
    expect([limited.status, limited.body?.code]).toEqual([429, 42910000]);
    expect([limited.headers.get('retry-after'), limited.headers.get('x-ratelimit-remaining')]).toEqual(['2', '0']);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect((await call('GET', path)).status).toBe(429);
    expect((await call('GET', path)).status).toBe(200);
    expect((await call('GET', '/v2/account/activities/FILL')).status).toBe(503);
    expect((await call('GET', '/v2/account/activities/FILL')).status).toBe(503);
    await call('DELETE', '/_admin/faults');
    expect((await call('GET', '/v2/account/activities/FILL')).status).toBe(200);
  });

  it('4. processes a submit whose answer never comes: the socket closes, the order exists and fills', async () => {
    await arm({ kind: 'timeout', route: 'POST /v2/orders', hang_ms: 100 });
    const order = newOrder();
    const error = await call('POST', '/v2/orders', order).catch((e: unknown) => e);
    // undici's errors come from another realm: match the shape, not the class.
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET' } });
    await waitFor(() => stream.eventsOf(order.client_order_id).includes('fill'), 'fill');
    expect((await orderByClientId(order.client_order_id))?.status).toBe('filled');
  });

  it('4b. answers a submit only after the client gave up', async () => {
    await arm({ kind: 'timeout', route: 'POST /v2/orders', hang_ms: 200, then: 'respond' });
    const order = newOrder();
    const aborted = await fetch(`${paper.url}/v2/orders`, {
      method: 'POST',
      headers: KEYS,
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('TimeoutError');
    expect((await orderByClientId(order.client_order_id))?.client_order_id).toBe(order.client_order_id);
  });

  it('5. drops the fill from the stream; REST still shows it', async () => {
    await arm({ kind: 'drop_stream', events: ['fill'] });
    const order = newOrder();
    const { body } = await call('POST', '/v2/orders', order);
    await waitFor(async () => (await orderByClientId(order.client_order_id))?.status === 'filled', 'filled');
    await waitFor(() => stream.eventsOf(order.client_order_id).includes('new'), 'new');
    await waitFor(async () => (await fillsOf(String(body?.id))).length === 1, 'FILL activity');
    const second = newOrder();
    await call('POST', '/v2/orders', second);
    await waitFor(() => stream.eventsOf(second.client_order_id).includes('fill'), 'the next fill');
    expect(stream.eventsOf(order.client_order_id)).toEqual(['new']);
  });

  it('6a. closes every stream connection now', async () => {
    const other = await StreamClient.connect();
    const { body } = await arm({ kind: 'disconnect_stream' });
    expect(body?.disconnected).toBe(2);
    await waitFor(() => stream.closed && other.closed, 'both closed');
  });

  it('6b. closes every stream connection after the next message', async () => {
    await arm({ kind: 'disconnect_stream', after_messages: 1 });
    const order = newOrder();
    await call('POST', '/v2/orders', order);
    await waitFor(() => stream.closed, 'closed');
    await waitFor(async () => (await orderByClientId(order.client_order_id))?.status === 'filled', 'filled');
    expect(stream.eventsOf(order.client_order_id)).toEqual(['new']);
  });

  it('7. sends new and the fill before the submit response', async () => {
    await arm({ kind: 'fill_before_response', symbol: 'AAPL' });
    const order = newOrder();
    const { status, body } = await call('POST', '/v2/orders', order);
    const seenAtResponse = stream.eventsOf(order.client_order_id);
    expect([status, body?.status]).toEqual([200, 'accepted']);
    expect(seenAtResponse).toEqual(['new', 'fill']);
  });

  it('8. delivers the same fill three times', async () => {
    await arm({ kind: 'duplicate_stream', events: ['fill'], copies: 3 });
    const order = newOrder();
    await call('POST', '/v2/orders', order);
    await waitFor(() => stream.of(order.client_order_id).length === 4, 'new and three fills');
    const fills = stream.of(order.client_order_id).filter((u) => u.event === 'fill');
    expect(new Set(fills.map((u) => u.execution_id)).size).toBe(1);
  });
});

describe('PAPER_BROKER_FAULTS', () => {
  it('starts a process with faults armed', async () => {
    const armedAtStart = await start({ PAPER_BROKER_FAULTS: '[{"kind":"error","route":"GET /v2/clock","status":500,"times":"always"}]' });
    try {
      const response = await fetch(`${armedAtStart.url}/v2/clock`, { headers: KEYS });
      expect(response.status).toBe(500);
      const listed = (await (await fetch(`${armedAtStart.url}/_admin/faults`)).json()) as Json;
      expect(listed.rules).toMatchObject([{ kind: 'error', route: 'GET /v2/clock', times: 'always' }]);
    } finally {
      await armedAtStart.close();
    }
  });
});
