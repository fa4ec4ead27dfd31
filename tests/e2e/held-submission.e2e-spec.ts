import { TopicRecorder } from '@tlp/testing';
import { newTrade, postDecision } from './decisions';
import { Platform } from './platform';
import { eventually, forDecision, payloadOf } from './records';

/** New submissions wait while the broker is unhealthy: the executor's trade stream is down, so nothing is sent until it is back. */
describe('a submission held while the broker trade stream is down', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.filled'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await platform?.clearFaults();
    await recorder?.stop();
    await platform?.stop();
  });

  it('keeps the order PENDING with no broker order while the stream is refused, then places exactly one once it is back', async () => {
    await platform.armFaults([{ kind: 'refuse_stream', times: 'always' }]);
    await new Promise((r) => setTimeout(r, 500));
    const decision = newTrade({ quantity: '7', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });
    const reply = await postDecision(platform.httpUrls.executor, decision);
    expect(reply).toMatchObject({ status: 202, body: { decisionId: decision.decisionId, duplicate: false, outcome: 'PENDING' } });

    // Longer than the recovery grace (2 s): the recovery pass found the gate closed too.
    await new Promise((r) => setTimeout(r, 4000));
    const msftOrders = async () => (await platform.brokerOrders()).filter((o) => o.symbol === 'MSFT' && o.qty === '7');
    expect(await msftOrders()).toHaveLength(0);
    expect(recorder.records.filter((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r))).toHaveLength(0);
    const held = await platform.metric('executor', 'tlp_order_submissions_total{outcome="HELD"}');
    if (held !== null) expect(held).toBeGreaterThanOrEqual(1);

    await platform.clearFaults();
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r), 1, 60_000);
    const clientOrderId = payloadOf(submitted)['clientOrderId'];
    const atBroker = await eventually(msftOrders, (o) => o.length > 0, 30_000);
    expect(atBroker).toHaveLength(1);
    expect(atBroker[0]?.client_order_id).toBe(clientOrderId);
    await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forDecision(decision.decisionId)(r));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await msftOrders()).toHaveLength(1);
    expect(recorder.records.filter((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r))).toHaveLength(1);
  });
});
