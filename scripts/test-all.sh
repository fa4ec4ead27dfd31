#!/usr/bin/env bash
# Runs every test: lint, typecheck, unit tests and build of every project, contract artefact
# freshness, then the integration and end-to-end suites on the local stack (Kafka + PostgreSQL,
# started here unless already running or pointed elsewhere by TLP_KAFKA_BROKERS / TLP_PG_ADMIN_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

step() { printf '\n=== %s\n' "$*"; }

step "lint, typecheck, unit tests, build"
pnpm exec nx run-many -t lint typecheck test build --output-style=static

step "contract artefacts are up to date"
pnpm contracts:check

step "observability: promtool check and test rules, dashboard PromQL, dashboard-linter rules, runbooks"
bash scripts/ci/observability-check.sh

step "local stack"
bash scripts/stack.sh up

step "deploy: Helm chart validated offline (lint, kubeconform, promtool, values schema), image layout smoke test"
bash scripts/ci/helm-check.sh
bash scripts/ci/image-smoke.sh

step "integration tests (real Kafka and PostgreSQL)"
pnpm exec jest -c jest.int.config.cjs

step "end-to-end tests (all services as processes, paper broker)"
pnpm exec jest -c jest.e2e.config.cjs

printf '\nall test stages passed\n'
