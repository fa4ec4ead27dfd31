import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ROOT, exportedSeriesNames } from './metric-catalog';
import { metricNamesOf, rangesOfRateFunctions } from './promql-names';

const DIR = join(ROOT, 'deploy/helm/trading/files/dashboards');

interface Target {
  readonly expr?: string;
  readonly refId?: string;
  readonly datasource?: { type?: string; uid?: string };
}
interface Panel {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly fieldConfig?: { defaults?: { unit?: string } };
  readonly targets?: Target[];
  readonly panels?: Panel[];
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: unknown;
}
interface Dashboard {
  readonly id: number | null;
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { list: Variable[] };
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const dashboards = files.map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Dashboard }));
const panelsOf = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

describe('Grafana dashboards', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    exported = await exportedSeriesNames();
  });

  it('covers the pipeline, Kafka, data quality, broker health and the Node runtime', () => {
    expect(files.sort()).toEqual(['broker-health.json', 'data-quality.json', 'kafka.json', 'node-runtime.json', 'pipeline-overview.json']);
  });

  it('has unique, stable uids and no numeric id', () => {
    const uids = dashboards.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { dashboard } of dashboards) {
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(dashboard.id).toBeNull();
    }
  });

  it.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s: datasource, namespace, job and instance variables (template-datasource, template-job, template-instance)', (_f, dashboard) => {
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['namespace', 'job', 'instance']) expect(vars.get(name)?.type).toBe('query');
  });

  it.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s: every panel has a title, a description, a unit and the datasource variable', (_f, dashboard) => {
    const panels = panelsOf(dashboard);
    expect(panels.length).toBeGreaterThan(3);
    for (const panel of panels) {
      expect({ id: panel.id, title: (panel.title?.length ?? 0) > 0 }).toEqual({ id: panel.id, title: true });
      expect([panel.title, (panel.description ?? '').length > 10]).toEqual([panel.title, true]);
      expect([panel.title, panel.fieldConfig?.defaults?.unit ? 'unit set' : 'no unit']).toEqual([panel.title, 'unit set']);
      expect([panel.title, panel.datasource]).toEqual([panel.title, DATASOURCE]);
      for (const target of panel.targets ?? []) expect([panel.title, target.datasource]).toEqual([panel.title, DATASOURCE]);
      expect([panel.title, (panel.targets ?? []).length > 0]).toEqual([panel.title, true]);
    }
  });

  it.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s: rate() and increase() use $__rate_interval; selectors filter on the variables (target-rate-interval, target-job, target-instance)', (_f, dashboard) => {
    for (const panel of panelsOf(dashboard)) {
      for (const { expr = '' } of panel.targets ?? []) {
        for (const range of rangesOfRateFunctions(expr)) expect([expr, range]).toEqual([expr, '$__rate_interval']);
        for (const selector of expr.match(/[a-zA-Z_:][\w:]*\{[^}]*\}/g) ?? []) {
          for (const variable of ['namespace=~"$namespace"', 'job=~"$job"', 'instance=~"$instance"']) expect([selector, selector.includes(variable)]).toEqual([selector, true]);
        }
        for (const name of metricNamesOf(expr)) expect([expr, name, expr.includes(`${name}{`)]).toEqual([expr, name, true]);
      }
    }
  });

  it.each(dashboards.map((d) => [d.file, d.dashboard] as const))('%s: queries name only metrics the services export', (_f, dashboard) => {
    const unknown = panelsOf(dashboard).flatMap((p) => (p.targets ?? []).flatMap((t) => metricNamesOf(t.expr ?? ''))).filter((n) => !exported.has(n));
    expect(unknown).toEqual([]);
  });

  it('each dashboard fits in a ConfigMap (under 1 MiB)', () => {
    for (const file of files) expect(statSync(join(DIR, file)).size).toBeLessThan(1024 * 1024);
  });
});
