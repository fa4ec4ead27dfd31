#!/usr/bin/env bash
# Brings the whole system up on its embedded defaults (local Kafka, PostgreSQL and the paper broker),
# then drives a short demo. Leaves everything running; stop with: pnpm services down && pnpm stack down
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null || npm install -g pnpm@12.4.2
[[ -d node_modules ]] || pnpm install --frozen-lockfile
bash scripts/stack.sh up
NX_DAEMON=false pnpm exec nx run-many -t build --output-style=static >/dev/null
bash scripts/services.sh up
pnpm exec tsx scripts/demo.ts
