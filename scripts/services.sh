#!/usr/bin/env bash
# Starts, stops and reports the platform's processes on the local stack: the paper broker and the four
# services, built from this checkout, logs in .stack/services/<name>.log.
#
#   bash scripts/services.sh up | down | status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN="$ROOT/.stack/services"
mkdir -p "$RUN"

SERVICES=(paper-broker executor order-monitor position-monitor data-quality)
declare -A PORT=([paper-broker]=18080 [executor]=3001 [order-monitor]=3002 [position-monitor]=3003 [data-quality]=3004)
declare -A PREFIX=([executor]=EXECUTOR [order-monitor]=ORDER_MONITOR [position-monitor]=POSITION_MONITOR [data-quality]=DATA_QUALITY)

log() { printf '[services] %s\n' "$*"; }

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

health_url() {
  if [[ $1 == paper-broker ]]; then echo "http://127.0.0.1:${PORT[$1]}/_admin/stats"; else echo "http://127.0.0.1:${PORT[$1]}/health/ready"; fi
}

service_env() {
  local name=$1 p=${PREFIX[$1]:-}
  [[ -z $p ]] && { echo "PAPER_BROKER_PORT=${PORT[paper-broker]} PAPER_BROKER_PRICES=AAPL:187.50,MSFT:410.25,SPY:500.05 PAPER_BROKER_MARKET_HOURS=always"; return; }
  local db_var="${p}_DATABASE_URL"
  echo "${p}_HTTP_PORT=${PORT[$name]} ${p}_DATABASE_URL=${!db_var} ${p}_KAFKA_BROKERS=$TLP_KAFKA_BROKERS" \
    "${p}_BROKER_BASE_URL=http://127.0.0.1:${PORT[paper-broker]} ${p}_BROKER_DATA_URL=http://127.0.0.1:${PORT[paper-broker]}" \
    "${p}_BROKER_STREAM_URL=ws://127.0.0.1:${PORT[paper-broker]}/stream ${p}_BROKER_KEY_ID=paper-key ${p}_BROKER_SECRET_KEY=paper-secret" \
    "EXECUTOR_RISK_ONE_ACTIVE_TRADE_PER_SYMBOL=false EXECUTOR_EXECUTION_MODE=IMMEDIATE"
}

start_one() {
  local name=$1
  if running "$name"; then log "$name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  local entry="$ROOT/dist/apps/$name/apps/$name/src/main.js"
  [[ -f $entry ]] || { log "$entry is missing: run pnpm build"; exit 1; }
  # shellcheck disable=SC2046
  env $(service_env "$name") setsid node "$entry" >>"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
  local url; url=$(health_url "$name")
  for _ in $(seq 1 120); do
    if curl -fsS "$url" >/dev/null 2>&1; then log "$name ready on port ${PORT[$name]}"; return; fi
    running "$name" || break
    sleep 0.5
  done
  log "$name did not become ready; last lines of $RUN/$name.log:"
  tail -20 "$RUN/$name.log" >&2
  exit 1
}

up() {
  [[ -f .stack/stack.env ]] || { log "no .stack/stack.env: run pnpm stack up"; exit 1; }
  # shellcheck disable=SC1091
  source .stack/stack.env
  for s in "${SERVICES[@]}"; do start_one "$s"; done
}

down() {
  for s in "${SERVICES[@]}"; do
    if running "$s"; then kill -TERM "$(cat "$RUN/$s.pid")" && log "stopped $s"; fi
    rm -f "$RUN/$s.pid"
  done
}

status() {
  local bad=0
  for s in "${SERVICES[@]}"; do
    if running "$s" && curl -fsS "$(health_url "$s")" >/dev/null 2>&1; then printf '%-17s UP     port %s\n' "$s" "${PORT[$s]}"
    else printf '%-17s DOWN   log %s\n' "$s" "$RUN/$s.log"; bad=1; fi
  done
  return $bad
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
