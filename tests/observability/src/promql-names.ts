/**
 * Metric names referenced by a PromQL expression, without a full parser: strings, label matchers,
 * ranges and grouping clauses are removed first, then every identifier that is not a function call,
 * a keyword or a number is a metric name. Grafana variables (`$__rate_interval`, `$job`) only occur
 * inside those removed parts.
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'start', 'end']);

export function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (!name || call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

/** Every `rate(...)`/`increase(...)`/`irate(...)` range of a dashboard query, e.g. `$__rate_interval`. */
export function rangesOfRateFunctions(expr: string): string[] {
  return [...expr.matchAll(/\b(?:rate|irate|increase)\s*\([^[]*\[([^\]]+)\]/g)].map((m) => m[1] ?? '');
}
