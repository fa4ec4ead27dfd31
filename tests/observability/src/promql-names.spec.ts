import { describe, expect, it } from '@jest/globals';
import { metricNamesOf, rangesOfRateFunctions } from './promql-names';

describe('metricNamesOf', () => {
  it('finds metric names and skips functions, aggregations, keywords, labels and strings', () => {
    const expr = `sum by (namespace, job_name) (increase(tlp_job_runs_total{outcome="failure", job=~"$job"}[30m])) > 0
      unless on (namespace) max by (namespace) (tlp_job_last_success_timestamp_seconds{job_name="x"}) and on () (trading:market_open:max == 1)`;
    expect(metricNamesOf(expr)).toEqual(['tlp_job_last_success_timestamp_seconds', 'tlp_job_runs_total', 'trading:market_open:max']);
  });

  it('reads histogram quantiles, offsets and numbers', () => {
    const expr = 'histogram_quantile(0.99, sum by (le) (rate(tlp_broker_request_duration_seconds_bucket[$__rate_interval]))) > 2e3 or vector(0) offset 5m';
    expect(metricNamesOf(expr)).toEqual(['tlp_broker_request_duration_seconds_bucket']);
  });

  it('treats a bare selector without braces as a metric', () => {
    expect(metricNamesOf('time() - process_start_time_seconds')).toEqual(['process_start_time_seconds']);
  });
});

describe('rangesOfRateFunctions', () => {
  it('lists the range of every rate and increase', () => {
    expect(rangesOfRateFunctions('sum(rate(a[$__rate_interval])) / sum(increase(b{x="y"}[5m]))')).toEqual(['$__rate_interval', '5m']);
  });
});
