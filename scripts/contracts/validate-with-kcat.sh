#!/usr/bin/env bash
# A consumer from outside the codebase: reads messages from a topic with kcat and validates each record
# value against the published JSON Schemas (libs/contracts/generated/json-schema) with a standalone
# ajv script. Exits non-zero when no message was read or any message is invalid.
#
#   scripts/contracts/validate-with-kcat.sh [-t TOPIC] [-n COUNT] [-w SECONDS] [-o OFFSET] [-e]
#   scripts/contracts/validate-with-kcat.sh --file FILE...     # validate files instead, no Kafka
#
# Brokers come from TLP_KAFKA_BROKERS (default 127.0.0.1:19092). kcat is installed with apt-get when
# missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALIDATOR="$HERE/validate-event.cjs"
BROKERS="${TLP_KAFKA_BROKERS:-127.0.0.1:19092}"
TOPIC=position.updated
COUNT=10
WAIT_SECONDS=30
OFFSET=beginning
UNTIL_END=false

usage() {
  cat <<EOF
usage: $(basename "$0") [-t TOPIC] [-n COUNT] [-w SECONDS] [-o OFFSET] [-e]
       $(basename "$0") --file FILE...
  -t TOPIC    topic to read (default $TOPIC)
  -n COUNT    messages to read at most (default $COUNT)
  -w SECONDS  stop reading after this long, even with fewer messages (default $WAIT_SECONDS)
  -o OFFSET   kcat start offset: beginning, end, stored, a number or -N from the end (default $OFFSET)
  -e          stop at the end of every partition instead of waiting for COUNT messages
  --file      validate these files (one record value each) and read nothing from Kafka
Brokers: TLP_KAFKA_BROKERS (now $BROKERS).
EOF
}

log() { printf '[validate-with-kcat] %s\n' "$*" >&2; }

ensure_kcat() {
  command -v kcat >/dev/null 2>&1 && return 0
  [[ $EUID -eq 0 ]] || {
    log "kcat is missing; install it with: apt-get install -y kcat"
    exit 2
  }
  log "installing kcat with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat >/dev/null || {
      log "apt-get install kcat failed"
      exit 2
    }
  fi
}

if [[ ${1:-} == --file ]]; then
  shift
  [[ $# -gt 0 ]] || {
    usage >&2
    exit 2
  }
  exec node "$VALIDATOR" --file "$@"
fi

while getopts ':t:n:w:o:eh' opt; do
  case $opt in
    t) TOPIC=$OPTARG ;;
    n) COUNT=$OPTARG ;;
    w) WAIT_SECONDS=$OPTARG ;;
    o) OFFSET=$OPTARG ;;
    e) UNTIL_END=true ;;
    h)
      usage
      exit 0
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ && $WAIT_SECONDS =~ ^[1-9][0-9]*$ ]] || {
  log "COUNT and SECONDS must be positive integers"
  exit 2
}

ensure_kcat
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Each record as "<partition> <offset>" US <value> RS: values are JSON, which has no raw control
# characters, so the separators cannot occur inside a valid value.
US=$'\x1f'
RS=$'\x1e'
kcat_args=(-C -q -b "$BROKERS" -t "$TOPIC" -o "$OFFSET" -c "$COUNT" -f "%p %o${US}%s${RS}")
$UNTIL_END && kcat_args+=(-e)
log "reading up to $COUNT message(s) from $TOPIC at $BROKERS (offset $OFFSET, at most ${WAIT_SECONDS}s)"
status=0
timeout "$WAIT_SECONDS" kcat "${kcat_args[@]}" >"$WORK/records" 2>"$WORK/kcat.log" || status=$?
if [[ $status -ne 0 && $status -ne 124 ]]; then
  log "kcat failed (exit $status):"
  cat "$WORK/kcat.log" >&2
  exit 1
fi

files=()
while IFS= read -r -d "$RS" record; do
  where="${record%%"$US"*}"
  file="$WORK/${TOPIC}-p${where% *}-o${where#* }.json"
  printf '%s' "${record#*"$US"}" >"$file"
  files+=("$file")
done <"$WORK/records"

if [[ ${#files[@]} -eq 0 ]]; then
  log "no message read from $TOPIC within ${WAIT_SECONDS}s"
  [[ -s $WORK/kcat.log ]] && cat "$WORK/kcat.log" >&2
  exit 1
fi
[[ ${#files[@]} -lt $COUNT ]] && log "read ${#files[@]} of $COUNT message(s)"
node "$VALIDATOR" --file "${files[@]}"
