/**
 * Stop and stop_limit orders through the real HTTP and WebSocket server, started in-process on a
 * free port with a still market: prices move only through /_admin/prices.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WebSocket, type RawData } from 'ws';
import { loadPaperBrokerConfig } from '../paper-broker.config';
import { startPaperBroker, type PaperBrokerHandle } from '../paper-broker.server';

type Json = Record<string, unknown>;
interface TradeUpdateJson {
  event: string;
  price?: string;
  qty?: string;
  order: { id: string; client_order_id: string; status: string; type: string; stop_price: string | null };
}

const KEYS = { 'APCA-API-KEY-ID': 'paper-key', 'APCA-API-SECRET-KEY': 'paper-secret' };
let paper: PaperBrokerHandle;
let socket: WebSocket;
let updates: TradeUpdateJson[];

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json | null }> {
  const response = await fetch(`${paper.url}${path}`, {
    method,
    headers: { ...KEYS, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : null };
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

const eventsOf = (clientOrderId: string): string[] =>
  updates.filter((u) => u.order.client_order_id === clientOrderId).map((u) => u.event);
const setPrice = (price: string) => call('POST', '/_admin/prices', { symbol: 'AAPL', price });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeAll(async () => {
  paper = await startPaperBroker(
    loadPaperBrokerConfig({
      PAPER_BROKER_PORT: '0',
      PAPER_BROKER_TICK_MS: '0',
      PAPER_BROKER_LATENCY_MS: '5',
      PAPER_BROKER_HEARTBEAT_MS: '0',
      PAPER_BROKER_PRICES: 'AAPL:183.00',
    }),
  );
  updates = [];
  socket = new WebSocket(paper.wsUrl);
  const replies: Json[] = [];
  socket.on('message', (data: RawData) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
    replies.push(message);
    if (message.stream === 'trade_updates') updates.push(message.data as TradeUpdateJson);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ action: 'auth', key: 'paper-key', secret: 'paper-secret' }));
  socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
  await waitFor(() => replies.some((r) => r.stream === 'listening'), 'listening');
});

afterAll(async () => {
  socket.terminate();
  await paper.close();
});

beforeEach(async () => {
  await call('DELETE', '/_admin/faults');
  await call('POST', '/_admin/reset');
  await setPrice('183.00');
  updates.length = 0;
});

describe('stop orders over HTTP and the stream', () => {
  it('rests a sell stop, then fills it when /_admin/prices moves the price through the stop', async () => {
    const submitted = await call('POST', '/v2/orders', {
      symbol: 'AAPL', qty: '5', side: 'sell', type: 'stop', stop_price: '182.00', time_in_force: 'gtc', client_order_id: 'stop-1',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ type: 'stop', order_type: 'stop', stop_price: '182', limit_price: null, status: 'accepted' });
    await waitFor(() => eventsOf('stop-1').includes('new'), 'new');
    await setPrice('182.50');
    await settle();
    expect(eventsOf('stop-1')).toEqual(['new']);
    expect((await call('GET', `/v2/orders/${String(submitted.body?.id)}`)).body).toMatchObject({ status: 'new', filled_qty: '0' });

    await setPrice('181.99');
    const fill = await waitFor(() => updates.find((u) => u.order.client_order_id === 'stop-1' && u.event === 'fill'), 'fill');
    expect(fill).toMatchObject({ price: '181.99', qty: '5', order: { status: 'filled', stop_price: '182' } });
    expect(eventsOf('stop-1')).toEqual(['new', 'fill']);
  });

  it('refuses a stop without stop_price and a sub-penny stop_price', async () => {
    const base = { symbol: 'AAPL', qty: '1', side: 'sell', type: 'stop', time_in_force: 'day' };
    expect(await call('POST', '/v2/orders', base)).toMatchObject({ status: 422, body: { code: 40010001 } });
    expect(await call('POST', '/v2/orders', { ...base, stop_price: '182.001' })).toMatchObject({ status: 422, body: { code: 42210000 } });
  });

  it('replaces an untriggered stop_limit and splits its fills as an armed partial_fills fault says', async () => {
    await call('POST', '/_admin/faults', { rules: [{ kind: 'partial_fills', route: 'PATCH /v2/orders/:id', parts: ['2', '1'] }] });
    const submitted = await call('POST', '/v2/orders', {
      symbol: 'AAPL', qty: '3', side: 'sell', type: 'stop_limit', stop_price: '182.00', limit_price: '181.00', time_in_force: 'day', client_order_id: 'stop-2',
    });
    await waitFor(() => eventsOf('stop-2').includes('new'), 'new');
    const replaced = await call('PATCH', `/v2/orders/${String(submitted.body?.id)}`, { stop_price: '181.50', client_order_id: 'stop-2b' });
    expect(replaced).toMatchObject({ status: 200, body: { replaces: submitted.body?.id, stop_price: '181.5', limit_price: '181' } });
    await waitFor(() => eventsOf('stop-2b').includes('new'), 'replacement new');
    expect(eventsOf('stop-2')).toEqual(['new', 'replaced']);

    await setPrice('181.60');
    await settle();
    expect(eventsOf('stop-2b')).toEqual(['new']);
    await setPrice('181.20');
    await waitFor(() => eventsOf('stop-2b').includes('fill'), 'fill');
    const executions = updates.filter((u) => u.order.client_order_id === 'stop-2b' && u.qty);
    expect(executions.map((u) => `${u.event} ${u.qty ?? ''}@${u.price ?? ''}`)).toEqual(['partial_fill 2@181.2', 'fill 1@181.2']);
  });
});

describe('oco exit pairs', () => {
  const oco = (clientOrderId: string, qty = '5') => ({
    symbol: 'AAPL', qty, side: 'sell', type: 'limit', limit_price: '185.00', time_in_force: 'gtc',
    order_class: 'oco', stop_loss: { stop_price: '180.00' }, client_order_id: clientOrderId,
  });
  const legOf = (body: Json | null): Json => ((body?.legs as Json[] | null) ?? [])[0] ?? {};
  const eventsOfId = (id: unknown): string[] => updates.filter((u) => u.order.id === id).map((u) => u.event);

  it('places the take-profit limit with its stop-loss leg; the take-profit fills and the broker cancels the leg', async () => {
    const submitted = await call('POST', '/v2/orders', oco('oco-1'));
    expect(submitted).toMatchObject({ status: 200, body: { order_class: 'oco', type: 'limit', limit_price: '185', qty: '5' } });
    const leg = legOf(submitted.body);
    expect(leg).toMatchObject({ order_class: 'oco', type: 'stop', stop_price: '180', qty: '5', side: 'sell', legs: null });
    expect(leg.client_order_id).not.toBe('oco-1');
    await waitFor(() => eventsOfId(leg.id).includes('new') && eventsOf('oco-1').includes('new'), 'both new');
    const listed = (await call('GET', '/v2/orders?status=open')).body as unknown as Json[];
    expect(listed.map((o) => o.id).sort()).toEqual([submitted.body?.id, leg.id].sort());

    await setPrice('185.10');
    await waitFor(() => eventsOfId(leg.id).includes('canceled'), 'leg canceled');
    expect(eventsOf('oco-1')).toEqual(['new', 'fill']);
    expect(eventsOfId(leg.id)).toEqual(['new', 'canceled']);
    expect((await call('GET', `/v2/orders/${String(leg.id)}`)).body).toMatchObject({ status: 'canceled', filled_qty: '0' });
  });

  it('fills the stop-loss leg when the stop is crossed and cancels the take-profit', async () => {
    const submitted = await call('POST', '/v2/orders', oco('oco-2'));
    const leg = legOf(submitted.body);
    await waitFor(() => eventsOfId(leg.id).includes('new'), 'leg new');
    await setPrice('179.95');
    await waitFor(() => eventsOf('oco-2').includes('canceled'), 'take-profit canceled');
    expect(eventsOfId(leg.id)).toEqual(['new', 'fill']);
    expect((await call('GET', `/v2/orders/${String(submitted.body?.id)}`)).body).toMatchObject({ status: 'canceled', legs: [{ status: 'filled', filled_qty: '5' }] });
  });

  it('shrinks the stop-loss leg after a partial take-profit fill; a cancel of the parent cancels both', async () => {
    await call('POST', '/_admin/faults', { rules: [{ kind: 'partial_fills', route: 'POST /v2/orders', parts: ['2', '3'], delay_ms: 60_000 }] });
    const submitted = await call('POST', '/v2/orders', oco('oco-3'));
    const leg = legOf(submitted.body);
    await waitFor(() => eventsOfId(leg.id).includes('new'), 'leg new');
    await setPrice('185.10');
    await waitFor(() => eventsOf('oco-3').includes('partial_fill'), 'partial fill');
    expect((await call('GET', `/v2/orders/${String(leg.id)}`)).body).toMatchObject({ status: 'new', qty: '3' });
    expect(await call('DELETE', `/v2/orders/${String(submitted.body?.id)}`)).toMatchObject({ status: 204 });
    await waitFor(() => eventsOfId(leg.id).includes('canceled') && eventsOf('oco-3').includes('canceled'), 'both canceled');
  });

  it('replaces a leg\'s stop_price (the replacement keeps the pairing) and refuses a qty replace', async () => {
    const submitted = await call('POST', '/v2/orders', oco('oco-6'));
    const leg = legOf(submitted.body);
    await waitFor(() => eventsOfId(leg.id).includes('new'), 'leg new');
    expect(await call('PATCH', `/v2/orders/${String(leg.id)}`, { qty: '4' })).toMatchObject({ status: 422 });
    const replaced = await call('PATCH', `/v2/orders/${String(leg.id)}`, { stop_price: '181.00' });
    expect(replaced).toMatchObject({ status: 200, body: { order_class: 'oco', stop_price: '181', replaces: leg.id } });
    await waitFor(() => eventsOfId(replaced.body?.id).includes('new'), 'replacement new');
    expect((await call('GET', `/v2/orders/${String(submitted.body?.id)}`)).body).toMatchObject({ legs: [{ id: replaced.body?.id }] });
    await setPrice('185.10');
    await waitFor(() => eventsOfId(replaced.body?.id).includes('canceled'), 'replacement canceled by the take-profit fill');
    expect(eventsOf('oco-6')).toEqual(['new', 'fill']);
  });

  it('refuses an oco whose stop is not below the take-profit of a sell, and an oco of a crypto pair', async () => {
    const bad = await call('POST', '/v2/orders', { ...oco('oco-4'), stop_loss: { stop_price: '185.00' } });
    expect(bad).toMatchObject({ status: 422 });
    const crypto = await call('POST', '/v2/orders', { ...oco('oco-5'), symbol: 'BTC/USD' });
    expect(crypto).toMatchObject({ status: 422 });
  });
});
