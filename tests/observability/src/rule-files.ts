import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './metric-catalog';

export const RULES_DIR = join(ROOT, 'deploy/helm/trading/files/rules');
export const RULE_TESTS_DIR = join(ROOT, 'tests/observability/rules');
export const RUNBOOKS_DIR = join(ROOT, 'docs/runbooks');
export const RUNBOOK_BASE_URL = 'https://github.com/tlp/trade-lifecycle-platform/blob/main/docs/runbooks/';

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleTestFile {
  readonly rule_files: string[];
  readonly tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

export function ruleFiles(): { file: string; rules: Rule[] }[] {
  return readdirSync(RULES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => {
      const doc = parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: { rules: Rule[] }[] };
      return { file, rules: doc.groups.flatMap((g) => g.rules) };
    });
}

export function ruleTestFiles(): { file: string; doc: RuleTestFile }[] {
  return readdirSync(RULE_TESTS_DIR)
    .filter((f) => f.endsWith('.test.yaml'))
    .map((file) => ({ file, doc: parse(readFileSync(join(RULE_TESTS_DIR, file), 'utf8')) as RuleTestFile }));
}

/** `KafkaConsumerGroupStuck` → `kafka-consumer-group-stuck`. */
export function kebabCase(alert: string): string {
  return alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
