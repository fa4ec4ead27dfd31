import { randomUUID } from 'node:crypto';
import { mintToken } from '@tlp/service-runtime';
import { TopicRecorder, type ReceivedRecord } from '@tlp/testing';
import { newTrade } from './decisions';
import { Platform } from './platform';
import { eventually, forDecision, forOrder, onTopic, payloadOf, touchesOrder, type Payload } from './records';

const ADMIN = mintToken({ sub: 'e2e-ops', permissions: ['dq:admin', 'dq:read'] });
const READER = mintToken({ sub: 'e2e-reader', permissions: ['dq:read'] });

describe('data-quality: a broken invariant becomes a metric and a finding, and auto-fix restores it', () => {
  let platform: Platform;
  let recorder: TopicRecorder;
  const dq = () => platform.httpUrls['data-quality'];

  async function runChecks(body: Record<string, unknown> = {}, token = ADMIN): Promise<Response> {
    return fetch(`${dq()}/checks/run`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  async function completedRun(): Promise<Payload> {
    const res = await runChecks();
    expect(res.status).toBe(200);
    return (await res.json()) as Payload;
  }
  async function labelled(name: string, label: string): Promise<number | null> {
    const text = await (await fetch(`${dq()}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
    return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  const findingFor = (type: string, status: string, key: string) => (r: ReceivedRecord) =>
    onTopic('dq.finding')(r) && payloadOf(r)['findingType'] === type && payloadOf(r)['status'] === status && payloadOf(r)['entityKey'] === key;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.filled', 'position.updated', 'dq.finding', 'position.relink-requested'].map((t) => platform.topic(t)));
    await recorder.start();
    const dataQuality = platform.services['data-quality'];
    await dataQuality.kill('SIGTERM');
    dataQuality.setEnv({ DATA_QUALITY_AUTOFIX_ENABLED: 'true', DATA_QUALITY_SCHEDULER_ENABLED: 'false' });
    await dataQuality.start();
  }, 180_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  it('refuses POST /checks/run without a token (401) and without dq:admin (403)', async () => {
    expect((await fetch(`${dq()}/checks/run`, { method: 'POST' })).status).toBe(401);
    const forbidden = await runChecks({}, READER);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: 'FORBIDDEN', missingPermissions: ['dq:admin'] });
  });

  it('a fill position-monitor never received: unlinked metric and finding, dq.finding, a relink command carrying the fill; only the relink restores the link', async () => {
    const first = newTrade({ quantity: '10' });
    await platform.publishDecision(first);
    const [firstFill] = await recorder.waitFor((r) => onTopic('order.filled')(r) && forDecision(first.decisionId)(r));
    const firstOrderId = payloadOf(firstFill)['orderId'] as string;
    const [position] = await recorder.waitFor((r) => onTopic('position.updated')(r) && touchesOrder(firstOrderId)(r));
    const positionId = payloadOf(position)['positionId'] as string;

    // The invariant broken on purpose: position-monitor stops, the second trade fills, and its
    // order.filled is skipped in position-monitor's consumer group, as a lost event would be.
    await platform.services['position-monitor'].kill('SIGTERM');
    const second = newTrade({ quantity: '5' });
    await platform.publishDecision(second);
    const [secondFill] = await recorder.waitFor((r) => onTopic('order.filled')(r) && forDecision(second.decisionId)(r));
    const fill = payloadOf(secondFill);
    const orderId = fill['orderId'] as string;
    await skipUnconsumed('position-monitor', 'order.filled');
    expect(await eventually(() => platform.metric('data-quality', 'tlp_dq_filled_orders'), (v) => v === 2)).toBe(2);

    const run = await completedRun();
    expect(run['figures']).toMatchObject({ filledOrders: 2, unlinkedFilledOrders: 1, linkRate: 0.5 });
    expect(run['relinksRequested']).toBe(1);
    expect(await platform.metric('data-quality', 'tlp_dq_unlinked_filled_orders')).toBe(1);
    expect(await labelled('tlp_dq_open_findings', 'finding_type="UNLINKED_FILLED_ORDER"')).toBe(1);

    const [opened] = await recorder.waitFor(findingFor('UNLINKED_FILLED_ORDER', 'OPEN', `order:${orderId}`));
    expect(payloadOf(opened)).toMatchObject({ orderId, accountId: 'acc-e2e', symbol: 'AAPL', severity: 'HIGH', runId: run['runId'], resolvedAt: null });
    const [relink] = await recorder.waitFor((r) => onTopic('position.relink-requested')(r) && forOrder(orderId)(r));
    expect(payloadOf(relink)).toMatchObject({
      positionId, accountId: 'acc-e2e', ownerId: 'user-e2e', executionIds: [fill['executionId']], rule: 'SINGLE_CANDIDATE_POSITION', findingId: payloadOf(opened)['findingId'],
      fills: [{ executionId: fill['executionId'], tradeId: second.tradeId, purpose: 'ENTRY', side: 'BUY', quantity: '5', price: fill['lastPrice'], averagePrice: fill['averagePrice'], fee: fill['fee'], filledAt: new Date(fill['filledAt'] as string).toISOString() }],
    });
    expect(relink?.key).toBe('acc-e2e:AAPL');

    const report = (await (await fetch(`${dq()}/runs/${String(run['runId'])}`, { headers: { authorization: `Bearer ${READER}` } })).json()) as { findings: Payload[]; autofixes: Payload[] };
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ findingType: 'UNLINKED_FILLED_ORDER', transition: 'OPENED', orderId })]));
    expect(report.autofixes).toEqual([expect.objectContaining({ orderId, positionId, rule: 'SINGLE_CANDIDATE_POSITION' })]);
    const summary = (await (await fetch(`${dq()}/findings/summary`, { headers: { authorization: `Bearer ${READER}` } })).json()) as { findings: Payload[] };
    expect(summary.findings.map((f) => f['entityKey'])).toContain(`order:${orderId}`);

    // Position-monitor back: order.filled has nothing left for it, so only the relink command can
    // apply the fill; it does, to the one candidate position, and publishes the link (cause RELINK).
    await platform.services['position-monitor'].start();
    const [relinked] = await recorder.waitFor((r) => onTopic('position.updated')(r) && touchesOrder(orderId)(r), 1, 60_000);
    expect(payloadOf(relinked)).toMatchObject({ positionId, cause: 'RELINK', quantity: '15', executionIds: [fill['executionId']], status: 'OPEN' });
    expect((relinked?.json as Payload)['causationId']).toBe((relink?.json as Payload)['eventId']);
    expect(await eventually(() => pmMetric('tlp_position_relinks_total', 'outcome="LINKED"'), (v) => v === 1)).toBe(1);

    const resolvedRun = await eventually(completedRun, (r) => (r['figures'] as Payload)['unlinkedFilledOrders'] === 0);
    expect(resolvedRun['figures']).toMatchObject({ filledOrders: 2, unlinkedFilledOrders: 0, linkRate: 1 });
    expect(resolvedRun['resolved']).toBeGreaterThanOrEqual(1);
    expect(resolvedRun['relinksRequested']).toBe(0);
    await recorder.waitFor(findingFor('UNLINKED_FILLED_ORDER', 'RESOLVED', `order:${orderId}`));
    expect(await platform.metric('data-quality', 'tlp_dq_unlinked_filled_orders')).toBe(0);
    expect(await labelled('tlp_dq_open_findings', 'finding_type="UNLINKED_FILLED_ORDER"')).toBe(0);
    // The link came from the relink alone (never from the fill itself), once; and positions and
    // linked fills agreed at every run, while the link was missing and after it was restored.
    const links = recorder.records.filter((r) => onTopic('position.updated')(r) && touchesOrder(orderId)(r)).map(payloadOf);
    expect(new Set(links.map((p) => `${String(p['cause'])}@${String(p['revision'])}`))).toEqual(new Set([`RELINK@${String(payloadOf(relinked)['revision'])}`]));
    expect(recorder.records.filter((r) => onTopic('dq.finding')(r) && payloadOf(r)['findingType'] === 'QUANTITY_MISMATCH')).toEqual([]);
  });

  it('a position.updated with a wrong quantity: quantity mismatch metric and finding; resolved when the quantity is right again', async () => {
    const latest = recorder.records.filter(onTopic('position.updated')).map(payloadOf).filter((p) => p['accountId'] === 'acc-e2e' && p['instrument'] && (p['instrument'] as Payload)['symbol'] === 'AAPL');
    const state = latest.reduce((a, b) => ((b['revision'] as number) > (a['revision'] as number) ? b : a));
    const craft = async (quantity: string, revision: number) => {
      const event = { eventId: randomUUID(), type: 'position.updated', version: 1, occurredAt: new Date(Date.now() - 60_000).toISOString(), producer: 'e2e-test', correlationId: randomUUID(), causationId: null, payload: { ...state, quantity, revision, cause: 'RECONCILIATION', orderIds: [], executionIds: [] } };
      await platform.publish('position.updated', 'acc-e2e:AAPL', JSON.stringify(event));
    };
    const wrong = (state['revision'] as number) + 100;
    await craft('7', wrong);
    const key = 'account:acc-e2e:AAPL';
    expect(await eventually(() => labelledAfterRun('QUANTITY_MISMATCH'), (v) => v === 1)).toBe(1);
    expect(await platform.metric('data-quality', 'tlp_dq_quantity_mismatches')).toBe(1);
    const [opened] = await recorder.waitFor(findingFor('QUANTITY_MISMATCH', 'OPEN', key));
    expect(payloadOf(opened)).toMatchObject({ severity: 'CRITICAL', positionId: state['positionId'] });
    expect(payloadOf(opened)['detail']).toContain(`open positions net 7, linked fills net ${String(state['quantity'])}`);

    await craft(String(state['quantity']), wrong + 1);
    expect(await eventually(() => labelledAfterRun('QUANTITY_MISMATCH'), (v) => v === 0)).toBe(0);
    await recorder.waitFor(findingFor('QUANTITY_MISMATCH', 'RESOLVED', key));
    expect(await platform.metric('data-quality', 'tlp_dq_quantity_mismatches')).toBe(0);
  });

  /** Moves a stopped service's consumer group past everything on `topic`: those events are lost to it. */
  async function skipUnconsumed(service: 'position-monitor', topic: string): Promise<void> {
    const admin = platform.kafka.admin();
    await admin.connect();
    try {
      const groupId = platform.topicPrefix + service;
      // Real high-water marks: kafkajs' resetOffsets commits -1 for "latest", which a restarted
      // consumer subscribed fromBeginning reads as no offset at all, and then replays the topic.
      const partitions = (await admin.fetchTopicOffsets(platform.topic(topic))).map((p) => ({ partition: p.partition, offset: p.high }));
      // The group may take a moment to be empty after the member left; setting offsets needs no members.
      const skip = async () => admin.setOffsets({ groupId, topic: platform.topic(topic), partitions }).then(() => true, () => false);
      expect(await eventually(skip, (done) => done, 30_000)).toBe(true);
      const committed = await admin.fetchOffsets({ groupId, topics: [platform.topic(topic)] });
      expect(committed[0]?.partitions.map((p) => ({ partition: p.partition, offset: p.offset })).sort((a, b) => a.partition - b.partition)).toEqual(partitions.sort((a, b) => a.partition - b.partition));
    } finally {
      await admin.disconnect();
    }
  }

  async function pmMetric(name: string, label: string): Promise<number | null> {
    const text = await (await fetch(`${platform.httpUrls['position-monitor']}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
    return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  /** Runs the checks, then reads the open-findings gauge of `type`. */
  async function labelledAfterRun(type: string): Promise<number | null> {
    await completedRun();
    return labelled('tlp_dq_open_findings', `finding_type="${type}"`);
  }
});
