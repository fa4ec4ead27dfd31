# shellcheck shell=bash
# Paths, defaults and small helpers shared by the stack scripts. Sourced, never run.
# The settings below are read by the files that source this one.
# shellcheck disable=SC2034

STACK_DIR="$ROOT/.stack"
STACK_ENV="$STACK_DIR/stack.env"
STACK_SCRIPTS="$ROOT/scripts/stack"

LOCAL_KAFKA_PORT=19092
LOCAL_KAFKA_CONTROLLER_PORT=19093
LOCAL_KAFKA_BROKERS="127.0.0.1:$LOCAL_KAFKA_PORT"
LOCAL_PG_HOST=127.0.0.1
LOCAL_PG_PORT=55432
LOCAL_PG_SUPERUSER=postgres
LOCAL_PG_SUPERUSER_PASSWORD=postgres
LOCAL_PG_ADMIN_URL="postgres://$LOCAL_PG_SUPERUSER:$LOCAL_PG_SUPERUSER_PASSWORD@$LOCAL_PG_HOST:$LOCAL_PG_PORT/postgres"

# One database and one login role per service; the role's password is its name.
SERVICE_DATABASES=(executor order_monitor position_monitor data_quality)

log() { printf '[stack] %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# Installs Debian packages when a tool is missing; only root can, everyone else gets a hint.
apt_install() {
  is_root || die "missing $*; install it (apt-get install -y $*) or run as root"
  log "installing $* with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$STACK_DIR/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$STACK_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$STACK_DIR/apt.log" 2>&1 ||
      die "apt-get install $* failed; read $STACK_DIR/apt.log"
  fi
}

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

read_pid() { [[ -f $1 ]] && head -n 1 "$1" | tr -dc '0-9'; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

elapsed_since() { printf '%ss' "$((SECONDS - $1))"; }

# Prints the last lines of a log file after a failure so the cause is visible at once.
show_log_tail() {
  [[ -s $1 ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n "${2:-25}" "$1" >&2
  printf -- '---\n' >&2
}

# An override counts as external only when it points somewhere else than our own local stack, so a
# shell that sourced .stack/stack.env still manages the local stack.
kafka_is_external() { [[ -n ${TLP_KAFKA_BROKERS:-} && $TLP_KAFKA_BROKERS != "$LOCAL_KAFKA_BROKERS" ]]; }
pg_is_external() { [[ -n ${TLP_PG_ADMIN_URL:-} && $TLP_PG_ADMIN_URL != "$LOCAL_PG_ADMIN_URL" ]]; }

kafka_brokers() { printf '%s' "${TLP_KAFKA_BROKERS:-$LOCAL_KAFKA_BROKERS}"; }
pg_admin_url() { printf '%s' "${TLP_PG_ADMIN_URL:-$LOCAL_PG_ADMIN_URL}"; }

# Serialises up and down: several people and test runs share one checkout.
take_stack_lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  flock -w 300 9 || die "another 'pnpm stack' holds $STACK_DIR/.lock for more than 300 s"
}
