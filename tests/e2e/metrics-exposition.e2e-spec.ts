import { spawnSync } from 'node:child_process';
import { newTrade } from './decisions';
import { Platform, SERVICES, type ServiceName } from './platform';
import { eventually } from './records';

/** prom-client's default collector exports these gauges with a `_total` suffix; nothing else may break the lint. */
const ALLOWED_LINT = new Set(['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']);

/** Problems `promtool check metrics` reports for one exposition, as `metric message` lines. */
function promtoolProblems(exposition: string): string[] {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool not found (${run.error.message}): run scripts/ci/observability-check.sh or apt-get install prometheus`);
  return `${run.stdout}${run.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

describe('every service /metrics on the real stack', () => {
  let platform: Platform;
  const scrape = async (service: ServiceName): Promise<string> => (await fetch(`${platform.httpUrls[service]}/metrics`)).text();
  const has = (text: string, series: string) => text.split('\n').some((l) => l.startsWith(series));

  beforeAll(async () => {
    platform = await Platform.start();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('passes promtool check metrics, apart from prom-client three _total gauges, after traffic and a lag poll', async () => {
    await platform.publishDecision(newTrade({ quantity: '2', instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' } }));
    await eventually(() => scrape('executor'), (t) => has(t, 'tlp_order_submissions_total{outcome="ACCEPTED"') && !/tlp_order_submissions_total\{outcome="ACCEPTED"[^}]*\} 0$/m.test(t));
    // The lag poller reads every 30 s; its first pass may run before the handlers are registered.
    for (const service of SERVICES) {
      await eventually(() => scrape(service), (t) => has(t, 'tlp_kafka_consumer_group_lag{'), 45_000);
    }

    for (const service of SERVICES) {
      const text = await scrape(service);
      const problems = promtoolProblems(text).filter((line) => !ALLOWED_LINT.has(line.split(' ')[0] ?? ''));
      expect([service, problems]).toEqual([service, []]);
      expect([service, has(text, 'tlp_job_runs_total{job_name="consumer_lag_poll",outcome="success"')]).toEqual([service, true]);
      expect([service, has(text, 'tlp_kafka_consumer_group_last_progress_timestamp_seconds{')]).toEqual([service, true]);
    }
    expect(has(await scrape('order-monitor'), 'tlp_market_open')).toBe(true);
    // Declared at 0 for every subscribed topic, so the first dead letter shows in increase().
    expect(has(await scrape('executor'), 'tlp_messages_consumed_total{topic="decision.approved",outcome="dead_lettered"')).toBe(true);
    expect(has(await scrape('executor'), 'tlp_job_last_success_timestamp_seconds{job_name="executor_recovery_pass"')).toBe(true);
  }, 120_000);
});
