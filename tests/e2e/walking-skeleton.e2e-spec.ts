import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { byEventId, TopicRecorder } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { newTrade, postDecision } from './decisions';
import { PAPER_PRICES, Platform } from './platform';
import { eventually, forDecision, forOrder, payloadOf, touchesOrder } from './records';

describe('one decision through all four services, on real Kafka, PostgreSQL and the paper broker', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.filled', 'order.rejected', 'position.updated', 'decision.approved.dlq'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  it('turns a NEW_TRADE into one order, one fill and a position with exact decimals', async () => {
    const decision = newTrade({ quantity: '10', instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' } });
    await platform.publishDecision(decision);

    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const order = payloadOf(submitted);
    expect(order).toMatchObject({ quantity: '10', side: 'BUY', accountId: 'acc-e2e', tradeId: decision.tradeId, purpose: 'ENTRY' });
    expect(order['clientOrderId']).toMatch(/^tlp-[0-9a-f]{32}$/);

    const [filled] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(order['orderId'] as string)(r));
    expect(payloadOf(filled)).toMatchObject({ lastQuantity: '10', cumulativeQuantity: '10', leavesQuantity: '0', orderStatus: 'FILLED' });
    expect(new Decimal(payloadOf(filled)['lastPrice'] as string).eq(PAPER_PRICES.AAPL)).toBe(true);

    const [position] = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(order['orderId'] as string)(r));
    expect(payloadOf(position)).toMatchObject({ status: 'OPEN', side: 'LONG', quantity: '10', averageEntryPrice: payloadOf(filled)['averagePrice'], cause: 'FILL' });
    expect(position?.key).toBe('acc-e2e:AAPL');

    const filledOrders = await eventually(() => platform.metric('data-quality', 'tlp_dq_filled_orders'), (v) => (v ?? 0) >= 1);
    expect(filledOrders).toBeGreaterThanOrEqual(1);
    const unlinked = await eventually(() => platform.metric('data-quality', 'tlp_dq_unlinked_filled_orders'), (v) => v === 0);
    expect(unlinked).toBe(0);
  });

  it('places one broker order for a decision delivered twice, even under a new event id', async () => {
    const decision = newTrade({ instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' }, quantity: '3' });
    const first = await platform.publishDecision(decision);
    await platform.publishDecision(decision, first.eventId);
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const orderId = payloadOf(submitted)['orderId'] as string;
    await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(orderId)(r));

    const marker = newTrade({ instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' }, quantity: '1' });
    await platform.publishDecision(marker);
    const [markerOrder] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(marker.decisionId)(r));
    const [after] = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(payloadOf(markerOrder)['orderId'] as string)(r));
    expect(payloadOf(after)['quantity']).toBe('4');

    expect(recorder.records.filter((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r))).toHaveLength(1);
    const clientOrderId = payloadOf(submitted)['clientOrderId'];
    expect((await platform.brokerOrders()).filter((o) => o.client_order_id === clientOrderId)).toHaveLength(1);
  });

  it('changes nothing when the same fill is delivered again', async () => {
    const decision = newTrade({ instrument: { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' }, quantity: '2' });
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const orderId = payloadOf(submitted)['orderId'] as string;
    const [filled] = await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forOrder(orderId)(r));
    await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(orderId)(r));

    await platform.publish('order.filled', filled?.key ?? '', filled?.value ?? '');
    const marker = newTrade({ instrument: { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' }, quantity: '1' });
    await platform.publishDecision(marker);
    const [markerOrder] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(marker.decisionId)(r));
    const [after] = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(payloadOf(markerOrder)['orderId'] as string)(r));

    expect(payloadOf(after)['quantity']).toBe('3');
    expect(recorder.records.filter((r) => r.topic.endsWith('position.updated') && touchesOrder(orderId)(r))).toHaveLength(1);
  });

  it('dead-letters a malformed decision with its reason and keeps consuming', async () => {
    const valid = newTrade();
    const bad = { ...valid, quantity: 10 };
    const event = await platform.publishDecision(valid);
    const malformed = { ...event, eventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', payload: bad };
    await platform.publish('decision.approved', valid.accountId, JSON.stringify(malformed));
    const next = newTrade({ quantity: '1' });
    await platform.publishDecision(next);

    const [dead] = await recorder.waitFor((r) => r.topic.endsWith('decision.approved.dlq') && byEventId(malformed.eventId)(r));
    expect(dead?.headers['x-dlq-reason']).toMatch(/^CONTRACT_VIOLATION: .*payload\.quantity/);
    expect(dead?.headers['x-dlq-consumer']).toBe('executor');
    await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(next.decisionId)(r));
  });

  it('lets a consumer outside the codebase (kcat) read position.updated and validate it against the published JSON Schema', async () => {
    const decision = newTrade({ quantity: '7' });
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(payloadOf(submitted)['orderId'] as string)(r));
    const script = join(__dirname, '../../scripts/contracts/validate-with-kcat.sh');
    const { stdout, stderr } = await promisify(execFile)('bash', [script, '-t', platform.topic('position.updated'), '-e', '-w', '60', '-n', '100'], {
      env: { ...process.env },
    });
    const summary = /validated (\d+) file\(s\): (\d+) valid, (\d+) invalid/.exec(`${stdout}${stderr}`);
    expect(summary).not.toBeNull();
    expect(Number(summary?.[2])).toBeGreaterThanOrEqual(1);
    expect(Number(summary?.[2])).toBe(Number(summary?.[1]));
    expect(summary?.[3]).toBe('0');
  });

  it('takes a decision over HTTP too, and answers a bad one with 400 naming the field', async () => {
    const post = (body: unknown) => postDecision(platform.httpUrls.executor, body);
    const decision = newTrade({ quantity: '2' });
    expect(await post(decision)).toMatchObject({ status: 202, body: { decisionId: decision.decisionId, duplicate: false, outcome: 'ACCEPTED' } });
    await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));

    expect(await post(decision)).toMatchObject({ body: { decisionId: decision.decisionId, duplicate: true } });

    const bad = await post({ ...newTrade(), quantity: '-3', orderType: 'LIMIT' });
    expect(bad.status).toBe(400);
    const body = bad.body as { message: string; fields: string[] };
    expect(body.fields).toEqual(expect.arrayContaining(['quantity', 'limitPrice']));
    expect(body.message).toMatch(/quantity: must be greater than zero/);
  });

  it('denies an order over the notional limit before it reaches the broker, with a reason code', async () => {
    const decision = newTrade({ quantity: '1000' });
    await platform.publishDecision(decision);
    const [rejected] = await recorder.waitFor((r) => r.topic.endsWith('order.rejected') && forDecision(decision.decisionId)(r));
    expect(payloadOf(rejected)).toMatchObject({ rejectedBy: 'RISK', reasonCode: 'MAX_NOTIONAL_EXCEEDED', brokerOrderId: null });
    const clientOrderId = payloadOf(rejected)['clientOrderId'];
    expect((await platform.brokerOrders()).filter((o) => o.client_order_id === clientOrderId)).toHaveLength(0);
    expect(recorder.records.filter((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r))).toHaveLength(0);
  });
});
