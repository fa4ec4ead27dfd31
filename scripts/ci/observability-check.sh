#!/usr/bin/env bash
# Offline checks of the observability bundle the chart ships (deploy/helm/trading/files/):
#   1. promtool is installed (Debian's `prometheus` package; the daemon is never started);
#   2. `promtool check rules` on every rule file;
#   3. `promtool test rules` on every unit test in tests/observability/rules (one per alert);
#   4. every Grafana panel query parses as PromQL (wrapped as recording rules, checked by promtool);
#   5. the example Alertmanager routing (docs/runbooks/alertmanager.example.yml) with amtool;
#   6. the static TS checks: dashboard-linter rules, runbooks, metric names (nx project `observability`).
# `promtool check metrics` against each running service's /metrics is the e2e suite
# tests/e2e/metrics-exposition.e2e-spec.ts (needs the built services and the local stack).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true

RULES_DIR=deploy/helm/trading/files/rules
DASHBOARDS_DIR=deploy/helm/trading/files/dashboards
RULE_TESTS_DIR=tests/observability/rules

step() { printf '\n--- %s\n' "$*"; }

install_debian() {
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  # The package's postinst only enables a systemd unit; without systemd (CI containers) nothing starts.
  local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@")
  if ! "${install[@]}"; then
    # A fresh machine may have empty or stale package lists.
    "${sudo[@]}" apt-get update
    "${install[@]}"
  fi
}

step "promtool"
if ! command -v promtool >/dev/null 2>&1; then install_debian prometheus; fi
promtool --version | head -1

step "promtool check rules"
promtool check rules "$RULES_DIR"/*.yaml

step "promtool test rules"
promtool test rules "$RULE_TESTS_DIR"/*.test.yaml

step "dashboard queries parse as PromQL"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node - "$DASHBOARDS_DIR" "$tmp/dashboard-queries.yaml" <<'JS'
// Each panel query becomes a recording rule (JSON strings are valid YAML), with Grafana's variables
// replaced by values PromQL accepts, so promtool parses every query exactly as written.
const fs = require('node:fs');
const path = require('node:path');
const [dir, out] = process.argv.slice(2);
const rules = [];
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  for (const panel of panels) {
    for (const target of panel.targets ?? []) {
      if (!target.expr) continue;
      const expr = target.expr
        .replace(/\$__(rate_interval|interval|range)/g, '5m')
        .replace(/\$\{?(\w+)\}?/g, 'var_$1');
      rules.push(`      - record: dashboard:query:${rules.length}\n        # ${file} / ${panel.title} / ${target.refId}\n        expr: ${JSON.stringify(expr)}`);
    }
  }
}
if (rules.length === 0) throw new Error(`no panel queries found in ${dir}`);
fs.writeFileSync(out, `groups:\n  - name: dashboard-queries\n    rules:\n${rules.join('\n')}\n`);
console.log(`${rules.length} panel queries`);
JS
promtool check rules --lint=none "$tmp/dashboard-queries.yaml"

step "Alertmanager example routing (amtool)"
ALERTMANAGER_EXAMPLE=docs/runbooks/alertmanager.example.yml
if ! command -v amtool >/dev/null 2>&1; then install_debian prometheus-alertmanager; fi
amtool check-config "$ALERTMANAGER_EXAMPLE"
amtool config routes test --config.file="$ALERTMANAGER_EXAMPLE" --verify.receivers=pager severity=critical alertname=BrokerCircuitOpen
amtool config routes test --config.file="$ALERTMANAGER_EXAMPLE" --verify.receivers=tickets severity=warning alertname=BrokerErrorRateHigh

step "dashboards, runbooks and metric names (nx project observability)"
pnpm exec nx run-many -t lint typecheck test -p observability --output-style=static

printf '\nobservability checks passed\n'
