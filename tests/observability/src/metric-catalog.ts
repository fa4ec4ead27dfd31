import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';

export const ROOT = join(__dirname, '../../..');

export interface RegisteredMetric {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary';
  readonly file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every prom-client metric constructed in the services' and libraries' sources (`new Counter({ name: '...' })`). */
export function metricsRegisteredInCode(): RegisteredMetric[] {
  const roots = ['apps', 'libs'].flatMap((top) => readdirSync(join(ROOT, top)).map((p) => join(ROOT, top, p, 'src')));
  const found: RegisteredMetric[] = [];
  for (const root of roots) {
    let files: string[];
    try {
      files = sourceFiles(root);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new (Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\s*\(\s*\{[^}]*?name:\s*'([a-zA-Z_:][\w:]*)'/gs)) {
        found.push({ name: m[2] ?? '', type: (m[1] ?? '').toLowerCase() as RegisteredMetric['type'], file: file.slice(ROOT.length + 1) });
      }
    }
  }
  return found;
}

/** prom-client's default process and Node.js metrics, as every service's registry exports them. */
export async function defaultMetrics(): Promise<{ name: string; type: string }[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return (await registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }));
}

/** Series names a metric family exposes: histograms add `_bucket`, `_sum` and `_count`. */
export function seriesNames(metric: { name: string; type: string }): string[] {
  if (metric.type === 'histogram') return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
  if (metric.type === 'summary') return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
  return [metric.name];
}

/** Every series name the services can export: registered in code plus prom-client's defaults. */
export async function exportedSeriesNames(): Promise<Set<string>> {
  const all = [...metricsRegisteredInCode(), ...(await defaultMetrics())];
  return new Set(all.flatMap(seriesNames));
}
