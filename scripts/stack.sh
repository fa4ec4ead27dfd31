#!/usr/bin/env bash
# Local stack without Docker: Kafka (KRaft, single node) and PostgreSQL, with every declared topic
# and one database per service. Usage: pnpm stack up|down|status|logs [kafka|postgres]
# See scripts/stack/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/stack/common.sh
source "$ROOT/scripts/stack/common.sh"
# shellcheck source=scripts/stack/kafka.sh
source "$ROOT/scripts/stack/kafka.sh"
# shellcheck source=scripts/stack/postgres.sh
source "$ROOT/scripts/stack/postgres.sh"

usage() {
  printf 'usage: pnpm stack up|down|status|logs [kafka|postgres]\n' >&2
  exit 2
}

ensure_node_modules() {
  [[ -d $ROOT/node_modules/kafkajs && -x $ROOT/node_modules/.bin/tsx ]] && return 0
  log "node_modules incomplete; running pnpm install --frozen-lockfile"
  (cd "$ROOT" && pnpm install --frozen-lockfile) || die "pnpm install failed"
}

create_topics() {
  # tsx reads ./tsconfig.json only; the @tlp/* path aliases live in tsconfig.base.json.
  (cd "$ROOT" && TLP_KAFKA_BROKERS="$(kafka_brokers)" \
    pnpm exec tsx --tsconfig tsconfig.base.json scripts/stack/create-topics.ts) ||
    die "creating topics on $(kafka_brokers) failed (see above)"
}

# Prints "host port" of a postgres:// URL.
url_host_port() {
  node -e 'const u = new URL(process.argv[1]); console.log(u.hostname, u.port || "5432")' "$1"
}

env_line() { printf 'export %s=%q\n' "$1" "$2"; }

write_stack_env() {
  local admin host port db var
  admin="$(pg_admin_url)"
  read -r host port < <(url_host_port "$admin")
  {
    printf '# Written by "pnpm stack up"; source it: . .stack/stack.env\n'
    env_line TLP_KAFKA_BROKERS "$(kafka_brokers)"
    env_line TLP_PG_HOST "$host"
    env_line TLP_PG_PORT "$port"
    env_line TLP_PG_ADMIN_URL "$admin"
    for db in "${SERVICE_DATABASES[@]}"; do
      var="$(tr '[:lower:]' '[:upper:]' <<<"$db")_DATABASE_URL"
      env_line "$var" "postgres://$db:$db@$host:$port/$db"
    done
  } >"$STACK_ENV.tmp"
  mv "$STACK_ENV.tmp" "$STACK_ENV"
}

cmd_up() {
  local started=$SECONDS
  take_stack_lock
  ensure_node_modules
  kafka_begin
  pg_up
  kafka_await
  create_topics
  write_stack_env
  log "stack up in $(elapsed_since "$started"); environment in $STACK_ENV"
}

cmd_down() {
  take_stack_lock
  kafka_down
  pg_down
}

cmd_status() {
  local failed=0
  kafka_status || failed=1
  pg_status || failed=1
  if [[ -f $STACK_ENV ]]; then printf 'env       %s\n' "$STACK_ENV"; fi
  return "$failed"
}

cmd_logs() {
  local files=()
  case "${1:-all}" in
    kafka) files=("$KAFKA_LOG") ;;
    postgres | pg) files=("$PG_LOG") ;;
    all) files=("$KAFKA_LOG" "$PG_LOG") ;;
    *) usage ;;
  esac
  exec tail -n 100 -F "${files[@]}"
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    logs) cmd_logs "${2:-all}" ;;
    *) usage ;;
  esac
}

main "$@"
