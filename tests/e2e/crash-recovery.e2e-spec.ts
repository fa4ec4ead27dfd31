import { TopicRecorder, type ReceivedRecord } from '@tlp/testing';
import { newTrade } from './decisions';
import { Platform } from './platform';
import { eventIdOf, eventually, payloadOf } from './records';


describe('position-monitor killed between its database commit and the publish', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start();
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'position.updated'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  async function tradeThroughCrash(faultPoint: string, symbol: string): Promise<{ orderId: string; updates: ReceivedRecord[] }> {
    const positionMonitor = platform.services['position-monitor'];
    await positionMonitor.kill('SIGTERM');
    positionMonitor.setEnv({ TLP_FAULT_POINTS: faultPoint });
    await positionMonitor.start();

    const decision = newTrade({ instrument: { symbol, assetClass: 'EQUITY', multiplier: '1' }, quantity: '5' });
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && payloadOf(r)['decisionId'] === decision.decisionId);
    const orderId = payloadOf(submitted)['orderId'] as string;

    // SIGKILL at the fault point: after the transaction that applied the fill committed.
    await positionMonitor.waitForExit();
    positionMonitor.setEnv({ TLP_FAULT_POINTS: '' });
    await positionMonitor.start();

    const touches = (r: ReceivedRecord) => r.topic.endsWith('position.updated') && ((payloadOf(r)['orderIds'] as string[]) ?? []).includes(orderId);
    await recorder.waitFor(touches);
    // A later fill on the same instrument proves the position was applied exactly once.
    const marker = newTrade({ instrument: { symbol, assetClass: 'EQUITY', multiplier: '1' }, quantity: '1' });
    await platform.publishDecision(marker);
    const [markerOrder] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && payloadOf(r)['decisionId'] === marker.decisionId);
    const [after] = await recorder.waitFor(
      (r) => r.topic.endsWith('position.updated') && ((payloadOf(r)['orderIds'] as string[]) ?? []).includes(payloadOf(markerOrder)['orderId'] as string),
    );
    expect(payloadOf(after)['quantity']).toBe('6');
    return { orderId, updates: recorder.records.filter(touches) };
  }

  it('publishes the committed update after restart when killed before publishing: nothing lost', async () => {
    const { updates } = await tradeThroughCrash('outbox-relay:before-publish', 'AAPL');
    expect(updates).toHaveLength(1);
    expect(payloadOf(updates[0])).toMatchObject({ quantity: '5', status: 'OPEN' });
  });

  it('republishes under the same event id when killed after publishing: consumers drop the copy', async () => {
    const { updates } = await tradeThroughCrash('outbox-relay:after-publish', 'MSFT');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(new Set(updates.map(eventIdOf)).size).toBe(1);
    expect(payloadOf(updates[0])).toMatchObject({ quantity: '5' });
    const unlinked = await eventually(() => platform.metric('data-quality', 'tlp_dq_unlinked_filled_orders'), (v) => v === 0);
    expect(unlinked).toBe(0);
  });
});
