import { TopicRecorder } from '@tlp/testing';
import { newTrade } from './decisions';
import { Platform } from './platform';
import { eventually, forDecision, payloadOf } from './records';

/** Exactly one broker order per decision, whatever the broker or the process does around the submit. */
describe('executor under broker faults and a crash mid-submit', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.filled'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterEach(async () => {
    await platform.clearFaults();
  });

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  /** The decision's single order: one `order.submitted`, one order at the broker under its client order id, filled once. */
  async function expectExactlyOneOrder(decisionId: string): Promise<void> {
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decisionId)(r), 1, 45_000);
    const clientOrderId = payloadOf(submitted)['clientOrderId'];
    const atBroker = await eventually(async () => (await platform.brokerOrders()).filter((o) => o.client_order_id === clientOrderId), (o) => o.length > 0);
    expect(atBroker).toHaveLength(1);
    await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forDecision(decisionId)(r));
    await new Promise((r) => setTimeout(r, 3000));
    expect(recorder.records.filter((r) => r.topic.endsWith('order.submitted') && forDecision(decisionId)(r))).toHaveLength(1);
    expect(recorder.records.filter((r) => r.topic.endsWith('order.filled') && forDecision(decisionId)(r))).toHaveLength(1);
    expect((await platform.brokerOrders()).filter((o) => o.client_order_id === clientOrderId)).toHaveLength(1);
  }

  it('resolves a submit that timed out after the broker accepted it by its client order id', async () => {
    await platform.armFaults([{ kind: 'timeout', route: 'POST /v2/orders', hang_ms: 8000, then: 'close' }]);
    const decision = newTrade({ quantity: '2' });
    await platform.publishDecision(decision);
    await expectExactlyOneOrder(decision.decisionId);
  });

  it('submits again under the same client order id after a 503 that placed nothing', async () => {
    await platform.armFaults([{ kind: 'error', route: 'POST /v2/orders', status: 503, times: 1 }]);
    const decision = newTrade({ quantity: '3' });
    await platform.publishDecision(decision);
    await expectExactlyOneOrder(decision.decisionId);
  });

  it('places no second order when the executor is killed right after the broker accepted the first', async () => {
    const executor = platform.services.executor;
    await executor.kill('SIGTERM');
    executor.setEnv({ TLP_FAULT_POINTS: 'executor:after-submit' });
    await executor.start();
    const decision = newTrade({ quantity: '4' });
    await platform.publishDecision(decision);
    await executor.waitForExit();
    executor.setEnv({ TLP_FAULT_POINTS: '' });
    await executor.start();
    await expectExactlyOneOrder(decision.decisionId);
  });
});
