import { TopicRecorder } from '@tlp/testing';
import { amendOf, cancelOf, newTrade, postDecision } from './decisions';
import { Platform } from './platform';
import { eventually, forDecision, payloadOf } from './records';

/** New York wall-clock `HH:MM` of an instant. */
const newYorkTime = (at: Date): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/**
 * The executor in SCHEDULED mode, restarted with its run time set to a New York minute shortly after
 * the test starts; the paper broker's `every-day` calendar makes any day a trading day, so the suite runs
 * at any hour (except across New York midnight).
 */
describe('the scheduled daily run, end to end', () => {
  let platform: Platform;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    platform = await Platform.start({
      brokerEnv: { PAPER_BROKER_CALENDAR: 'every-day' },
      // 23:59 is the every-day calendar's close: never due until the test sets the real run time.
      env: { executor: { EXECUTOR_EXECUTION_MODE: 'SCHEDULED', EXECUTOR_SCHEDULE_TIME: '23:59', EXECUTOR_SCHEDULE_CHECK_INTERVAL: '1s' } },
    });
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'order.filled', 'order.canceled'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  const decide = async (body: unknown) => {
    const reply = await postDecision(platform.httpUrls.executor, body);
    expect(reply.status).toBe(202);
    return reply.body;
  };

  it('holds NEW_TRADEs until the run time, cancels and amends SCHEDULED ones without any broker call, then places exactly one order for each left', async () => {
    // The first whole minute at least 40 s away: time to restart the executor and send the decisions before it.
    const runAt = new Date(Math.ceil((Date.now() + 40_000) / 60_000) * 60_000);
    const executor = platform.services.executor;
    await executor.kill('SIGTERM');
    executor.setEnv({ EXECUTOR_SCHEDULE_TIME: newYorkTime(runAt) });
    await executor.start();
    expect(Date.now()).toBeLessThan(runAt.getTime() - 5_000);
    const kept = newTrade({ quantity: '11' });
    const canceled = newTrade({ quantity: '12', instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' } });
    const amended = newTrade({ quantity: '13', instrument: { symbol: 'SPY', assetClass: 'EQUITY', multiplier: '1' } });
    expect(await decide(kept)).toMatchObject({ outcome: 'SCHEDULED' });
    expect(await decide(canceled)).toMatchObject({ outcome: 'SCHEDULED' });
    expect(await decide(amended)).toMatchObject({ outcome: 'SCHEDULED' });
    expect(await decide(cancelOf(canceled.decisionId))).toMatchObject({ outcome: 'CANCELED_BEFORE_SUBMISSION' });
    expect(await decide(amendOf(amended.decisionId, { quantity: '7' }))).toMatchObject({ outcome: 'AMENDED_BEFORE_SUBMISSION' });
    // Amending an order that was canceled before the run: nothing was placed.
    expect(await decide(amendOf(canceled.decisionId, { quantity: '3' }))).toMatchObject({ outcome: 'TARGET_NOT_PLACED' });
    expect(await platform.brokerOrders()).toEqual([]);

    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(kept.decisionId)(r), 1, runAt.getTime() - Date.now() + 45_000);
    expect(Date.now()).toBeGreaterThanOrEqual(runAt.getTime() - 1_000);
    const [submittedAmended] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(amended.decisionId)(r));
    expect(payloadOf(submittedAmended)['quantity']).toBe('7');
    const names = new Map([[payloadOf(submitted)['clientOrderId'], 'kept'], [payloadOf(submittedAmended)['clientOrderId'], 'amended']]);
    await recorder.waitFor((r) => r.topic.endsWith('order.filled') && forDecision(kept.decisionId)(r));
    const atBroker = await eventually(async () => platform.brokerOrders(), (o) => o.length > 1);
    expect(atBroker.map((o) => `${names.get(o.client_order_id) ?? o.client_order_id} ${o.qty}`).sort()).toEqual(['amended 7', 'kept 11']);

    // The run is over and the recovery pass has had its turns: still one order each, none for the canceled decision.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await platform.brokerOrders()).map((o) => o.qty).sort()).toEqual(['11', '7']);
    expect(recorder.records.filter((r) => forDecision(canceled.decisionId)(r))).toHaveLength(0);
    // A CANCEL of the same decision again reports the cancel it already made.
    expect(await decide(cancelOf(canceled.decisionId))).toMatchObject({ outcome: 'CANCELED_BEFORE_SUBMISSION' });
  }, 240_000);
});
