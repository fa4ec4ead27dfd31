import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { jobMetrics, setMarketOpen } from './job.metrics';

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('jobMetrics', () => {
  it('records the last success time and counts runs by outcome', async () => {
    const registry = new Registry();
    const jobs = jobMetrics(registry);
    jobs.declare('recovery_pass');
    expect(await value(registry, 'tlp_job_runs_total', { job_name: 'recovery_pass', outcome: 'failure' })).toBe(0);
    expect(await value(registry, 'tlp_job_last_success_timestamp_seconds', { job_name: 'recovery_pass' })).toBeUndefined();

    jobs.succeeded('recovery_pass', 0.2, new Date('2026-01-05T15:00:00Z'));
    expect(await value(registry, 'tlp_job_last_success_timestamp_seconds', { job_name: 'recovery_pass' })).toBe(Date.parse('2026-01-05T15:00:00Z') / 1000);
    expect(await value(registry, 'tlp_job_runs_total', { job_name: 'recovery_pass', outcome: 'success' })).toBe(1);
  });

  it('tracks a failing run as a failure, rethrows, and leaves the last success alone', async () => {
    const registry = new Registry();
    const jobs = jobMetrics(registry);
    await expect(jobs.track('poll', () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await value(registry, 'tlp_job_runs_total', { job_name: 'poll', outcome: 'failure' })).toBe(1);
    expect(await value(registry, 'tlp_job_last_success_timestamp_seconds', { job_name: 'poll' })).toBeUndefined();
    await expect(jobs.track('poll', () => Promise.resolve(7))).resolves.toBe(7);
    expect(await value(registry, 'tlp_job_runs_total', { job_name: 'poll', outcome: 'success' })).toBe(1);
  });

  it('counts a resolved run as a failure when its result says so', async () => {
    const registry = new Registry();
    const jobs = jobMetrics(registry);
    await jobs.track('reconciliation', () => Promise.resolve({ kind: 'UNKNOWN' }), (r) => r.kind !== 'UNKNOWN');
    expect(await value(registry, 'tlp_job_runs_total', { job_name: 'reconciliation', outcome: 'failure' })).toBe(1);
    expect(await value(registry, 'tlp_job_last_success_timestamp_seconds', { job_name: 'reconciliation' })).toBeUndefined();
  });

  it('is registered once per registry', () => {
    const registry = new Registry();
    expect(jobMetrics(registry)).toBe(jobMetrics(registry));
  });

  it('exports the market state as 0 or 1', async () => {
    const registry = new Registry();
    setMarketOpen(registry, true);
    expect(await value(registry, 'tlp_market_open', {})).toBe(1);
    setMarketOpen(registry, false);
    expect(await value(registry, 'tlp_market_open', {})).toBe(0);
  });
});
