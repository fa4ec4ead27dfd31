import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds; from a pass over an empty table to a reconciliation over a large book. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/**
 * Metrics of periodic jobs (recovery passes, polls, checks, reconciliations). The label is `job_name`,
 * a fixed name chosen in code (bounded); never `job`, which Prometheus sets to the scrape job and would
 * rename ours to `exported_job`. Alerts compare `time()` with `tlp_job_last_success_timestamp_seconds`.
 */
export interface JobMetrics {
  /** Makes `job`'s run counters exist at 0, so `increase()` and `absent()` behave before its first run. */
  declare(job: string): void;
  /** Records one successful run of `job` that took `seconds`, at `now`. */
  succeeded(job: string, seconds: number, now?: Date): void;
  /** Records one failed run of `job` that took `seconds`. */
  failed(job: string, seconds: number): void;
  /**
   * Runs `work` as one run of `job`: a failure when it rejects (rethrown) or when `succeeded` says its
   * result is one (e.g. a reconciliation whose broker query failed), else a success.
   */
  track<T>(job: string, work: () => Promise<T>, succeeded?: (result: T) => boolean): Promise<T>;
}

const byRegistry = new WeakMap<Registry, JobMetrics>();

/** The job metrics of `registry`, created on first use; later calls return the same ones. */
export function jobMetrics(registry: Registry): JobMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const lastSuccess = new Gauge({
    name: 'tlp_job_last_success_timestamp_seconds',
    help: 'Unix time of the last successful run of a periodic job, by job_name.',
    labelNames: ['job_name'] as const,
    registers,
  });
  const runs = new Counter({
    name: 'tlp_job_runs_total',
    help: 'Runs of a periodic job, by job_name and outcome (success, failure).',
    labelNames: ['job_name', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'tlp_job_duration_seconds',
    help: 'Duration of one run of a periodic job, in seconds, by job_name.',
    labelNames: ['job_name'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const metrics: JobMetrics = {
    declare(job) {
      runs.inc({ job_name: job, outcome: 'success' }, 0);
      runs.inc({ job_name: job, outcome: 'failure' }, 0);
    },
    succeeded(job, seconds, now = new Date()) {
      runs.inc({ job_name: job, outcome: 'success' });
      duration.observe({ job_name: job }, seconds);
      lastSuccess.set({ job_name: job }, now.getTime() / 1000);
    },
    failed(job, seconds) {
      runs.inc({ job_name: job, outcome: 'failure' });
      duration.observe({ job_name: job }, seconds);
    },
    async track(job, work, succeeded = () => true) {
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await work();
        if (succeeded(result)) metrics.succeeded(job, elapsed());
        else metrics.failed(job, elapsed());
        return result;
      } catch (error) {
        metrics.failed(job, elapsed());
        throw error;
      }
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

const marketByRegistry = new WeakMap<Registry, Gauge>();

/**
 * `tlp_market_open`: 1 while the broker's clock says the market is open, 0 when closed. Alert rules
 * that expect traffic ("no events", "pipeline stalled") are gated on it, so they stay quiet at night,
 * at weekends and on holidays (the broker's calendar, not a time-of-day guess).
 */
export function setMarketOpen(registry: Registry, open: boolean): void {
  let gauge = marketByRegistry.get(registry);
  if (!gauge) {
    gauge = new Gauge({ name: 'tlp_market_open', help: "1 while the broker's clock reports the market open, else 0.", registers: [registry] });
    marketByRegistry.set(registry, gauge);
  }
  gauge.set(open ? 1 : 0);
}
