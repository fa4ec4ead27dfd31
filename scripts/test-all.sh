#!/usr/bin/env bash
# Runs every test: lint, typecheck, unit tests, contract artefact freshness, then the integration and
# end-to-end suites against the local stack (started here if it is not already running).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-false}

step() { printf '\n=== %s\n' "$*"; }

step "lint, typecheck, unit tests, build"
pnpm exec nx run-many -t lint typecheck test build --output-style=static
