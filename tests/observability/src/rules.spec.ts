import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { exportedSeriesNames } from './metric-catalog';
import { metricNamesOf } from './promql-names';
import { RUNBOOK_BASE_URL, RUNBOOKS_DIR, kebabCase, ruleFiles, ruleTestFiles, type Rule } from './rule-files';

const rules: Rule[] = ruleFiles().flatMap((f) => f.rules);
const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
/** Alerts the task and seed 001 require; the rule file may hold more, never fewer. */
const REQUIRED = [
  'DataQualityLinkRateLow',
  'DataQualityUnlinkedFilledOrders',
  'DataQualityOrphanedReferences',
  'OrderMonitorPipelineStalled',
  'KafkaConsumerGroupLagHigh',
  'KafkaConsumerGroupStuck',
  'OutboxBacklogStuck',
  'BrokerCircuitOpen',
  'BrokerErrorRateHigh',
  'ReconciliationNotSucceeding',
  'DataQualityChecksNotRunning',
  'DataQualityUnprotectedPosition',
  'DataQualityQuantityMismatch',
];

describe('alert rules', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    exported = await exportedSeriesNames();
  });

  it('has every required alert', () => {
    expect(REQUIRED.filter((a) => !alerts.some((r) => r.alert === a))).toEqual([]);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s has severity, summary, description and its runbook', (_name, rule) => {
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
    expect(rule.annotations?.description?.length).toBeGreaterThan(10);
    const page = `${kebabCase(rule.alert)}.md`;
    expect(rule.annotations?.runbook_url).toBe(RUNBOOK_BASE_URL + page);
    const runbook = join(RUNBOOKS_DIR, page);
    expect(existsSync(runbook)).toBe(true);
    const text = readFileSync(runbook, 'utf8');
    for (const section of ['## Meaning', '## Impact', '## Diagnosis', '## Remediation', '## Escalation']) expect(text).toContain(section);
  });

  it.each(alerts.map((a) => [a.alert] as const))('%s has a promtool test that fires it and one that does not', (alert) => {
    const cases = ruleTestFiles()
      .filter((t) => t.file === `${kebabCase(alert)}.test.yaml`)
      .flatMap((t) => t.doc.tests.flatMap((group) => group.alert_rule_test ?? []))
      .filter((c) => c.alertname === alert);
    expect(cases.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it('routes and inhibits only alerts that exist (docs/runbooks/alertmanager.example.yml)', () => {
    const example = readFileSync(join(RUNBOOKS_DIR, 'alertmanager.example.yml'), 'utf8');
    const named = [...example.matchAll(/alertname=~?"([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split('|'));
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((name) => !alerts.some((a) => a.alert === name))).toEqual([]);
  });

  it.each(rules.map((r) => [r.alert ?? r.record ?? '', r] as const))('%s names only metrics the services export', (_name, rule) => {
    const unknown = metricNamesOf(rule.expr).filter((name) => !exported.has(name) && !recorded.has(name));
    expect(unknown).toEqual([]);
  });
});
