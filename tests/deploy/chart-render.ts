import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const CHART = join(__dirname, '../../deploy/helm/trading');
export const KUBERNETES_VERSION = '1.34.4';
const API_VERSIONS = [
  'monitoring.coreos.com/v1',
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'kafka.strimzi.io/v1beta2',
  'kafka.strimzi.io/v1',
];

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped YAML, asserted by the tests
  readonly spec?: any;
  readonly data?: Record<string, string>;
}

export interface RenderOptions {
  /** Values files, relative to the chart (`ci/minimal-values.yaml`) or absolute. */
  readonly values?: readonly string[];
  readonly set?: Readonly<Record<string, string>>;
  readonly setString?: Readonly<Record<string, string>>;
  /** Render as if the cluster served the monitoring and Strimzi APIs. Default true. */
  readonly crds?: boolean;
  readonly chart?: string;
}

/** `helm template` of the chart, every document parsed. Throws with helm's message when it refuses. */
export function renderChart(options: RenderOptions = {}): K8sObject[] {
  const chart = options.chart ?? CHART;
  const args = ['template', 'trading', chart, '--namespace', 'trading', '--kube-version', KUBERNETES_VERSION];
  if (options.crds ?? true) for (const api of API_VERSIONS) args.push('--api-versions', api);
  for (const file of options.values ?? []) args.push('-f', file.startsWith('/') ? file : join(chart, file));
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.setString ?? {})) args.push('--set-string', `${key}=${value}`);
  const out = execFileSync(process.env.HELM_BIN ?? 'helm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null);
}

/** A throwaway copy of the chart, for adding rule and dashboard files the real chart may not have yet. */
export function withChartCopy<T>(prepare: (dir: string) => void, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tlp-chart-'));
  try {
    cpSync(CHART, dir, { recursive: true });
    prepare(dir);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ofKind = (objects: readonly K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);

export const CI_VALUES = ['ci/minimal-values.yaml', 'ci/all-features-values.yaml', 'ci/production-values.yaml'];
