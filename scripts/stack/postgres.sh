# shellcheck shell=bash
# Our own PostgreSQL cluster in .stack/pg/data (never the system cluster), plus one role and one
# database per service on whichever server TLP_PG_ADMIN_URL names. Sourced after common.sh.
# Invariant: pg_stop only ever runs pg_ctl against .stack/pg/data.

PG_DIR="$STACK_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_START_TIMEOUT="${TLP_PG_START_TIMEOUT:-60}"

# Debian's server binaries, newest version first; installs the postgresql package when none exist.
pg_bin_dir() {
  local dir
  if [[ -n ${TLP_PG_BIN:-} ]]; then
    printf '%s' "$TLP_PG_BIN"
    return 0
  fi
  dir="$(find_pg_bin_dir)" || {
    apt_install postgresql
    dir="$(find_pg_bin_dir)" || die "postgresql installed but no /usr/lib/postgresql/<version>/bin/pg_ctl found"
  }
  printf '%s' "$dir"
}

find_pg_bin_dir() {
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1)"
  [[ -n $dir ]] && dirname "$dir"
}

pg_psql_bin() {
  if [[ -x ${PG_BIN:-}/psql ]]; then
    printf '%s' "$PG_BIN/psql"
  elif command -v psql >/dev/null; then
    command -v psql
  else
    apt_install postgresql-client
    command -v psql
  fi
}

# PostgreSQL refuses to run as root, so as root we run its tools as the postgres OS user.
as_pg() {
  if is_root; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

pg_prepare_dir() {
  local socket="$PG_DIR/.s.PGSQL.$LOCAL_PG_PORT"
  ((${#socket} < 100)) || die "socket path $socket is too long for a unix socket; use a shorter checkout path"
  mkdir -p "$PG_DIR"
  chmod 755 "$STACK_DIR"
  is_root || return 0
  id postgres >/dev/null 2>&1 || die "no postgres OS user; install the postgresql package"
  chown postgres:postgres "$PG_DIR"
  runuser -u postgres -- test -w "$PG_DIR" ||
    die "the postgres OS user cannot reach $PG_DIR; every parent folder needs o+x"
}

pg_init_once() {
  local pwfile="$PG_DIR/.pwfile"
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  log "initialising a PostgreSQL cluster in $PG_DATA"
  printf '%s\n' "$LOCAL_PG_SUPERUSER_PASSWORD" >"$pwfile"
  is_root && chown postgres:postgres "$pwfile"
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$LOCAL_PG_SUPERUSER" --pwfile="$pwfile" -E UTF8 \
    --locale=C --auth-local=peer --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"
    show_log_tail "$PG_DIR/initdb.log"
    die "initdb failed; read $PG_DIR/initdb.log"
  fi
  rm -f "$pwfile"
  printf "\ninclude_if_exists = 'tlp-stack.conf'\n" >>"$PG_DATA/postgresql.conf"
}

# Rewritten on every start so the settings always match this script.
pg_write_config() {
  cat >"$PG_DATA/tlp-stack.conf" <<EOF
# Written by scripts/stack.sh on every start; edit scripts/stack/postgres.sh instead.
listen_addresses = '$LOCAL_PG_HOST'
port = $LOCAL_PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
EOF
  chmod 644 "$PG_DATA/tlp-stack.conf"
}

# Prints the postmaster pid of our cluster if it is alive.
pg_pid() {
  local pid
  pid="$(read_pid "$PG_DATA/postmaster.pid")" || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $PG_DATA" || return 1
  printf '%s' "$pid"
}

pg_answers() { "$PG_BIN/pg_isready" -q -h "$LOCAL_PG_HOST" -p "$LOCAL_PG_PORT" -t 2; }

# For a postmaster that is alive but still recovering or starting.
pg_wait_ready() {
  local started=$SECONDS
  until pg_answers; do
    ((SECONDS - started < PG_START_TIMEOUT)) || {
      show_log_tail "$PG_LOG"
      die "PostgreSQL (pid $(pg_pid)) does not answer on $LOCAL_PG_HOST:$LOCAL_PG_PORT; read $PG_LOG"
    }
    sleep 1
  done
}

pg_start() {
  ! port_open "$LOCAL_PG_HOST" "$LOCAL_PG_PORT" ||
    die "$LOCAL_PG_HOST:$LOCAL_PG_PORT is in use by a process this script did not start; stop it, or point TLP_PG_ADMIN_URL at that server"
  pg_write_config
  # fd 9 is the stack lock: the postmaster must not inherit it.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" start >"$PG_DIR/pg_ctl.log" 2>&1 9>&-; then
    show_log_tail "$PG_DIR/pg_ctl.log" 5
    show_log_tail "$PG_LOG"
    die "PostgreSQL did not start; read $PG_LOG"
  fi
}

pg_sql() {
  "$PSQL" "$1" -v ON_ERROR_STOP=1 -qtAX -c "$2"
}

# Role and database names are our fixed identifiers, never user input, so plain interpolation is safe.
pg_provision() {
  local url="$1" db existing
  for db in "${SERVICE_DATABASES[@]}"; do
    pg_sql "$url" "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db') THEN CREATE ROLE $db LOGIN PASSWORD '$db'; END IF;
    END \$\$"
  done
  existing=" $(pg_sql "$url" "SELECT string_agg(datname, ' ') FROM pg_database") "
  for db in "${SERVICE_DATABASES[@]}"; do
    [[ $existing == *" $db "* ]] && continue
    pg_sql "$url" "CREATE DATABASE $db OWNER $db"
    log "postgres: created database and role $db"
  done
  # position-monitor's HTTP API reads as this NOLOGIN role under row-level security (its migration 0003)
  pg_sql "$url" "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'position_monitor_api') THEN CREATE ROLE position_monitor_api NOLOGIN; END IF;
  END \$\$"
  pg_sql "$url" "GRANT position_monitor_api TO position_monitor"
}

pg_up() {
  local started=$SECONDS
  if pg_is_external; then
    PSQL="$(pg_psql_bin)"
    pg_sql "$TLP_PG_ADMIN_URL" "SELECT 1" >/dev/null || die "external PostgreSQL TLP_PG_ADMIN_URL does not accept connections"
    pg_provision "$TLP_PG_ADMIN_URL"
    log "postgres: using external server from TLP_PG_ADMIN_URL"
    return 0
  fi
  PG_BIN="$(pg_bin_dir)"
  PSQL="$PG_BIN/psql"
  if pg_pid >/dev/null; then
    pg_wait_ready
    log "postgres: already running (pid $(pg_pid)) on $LOCAL_PG_HOST:$LOCAL_PG_PORT"
  else
    pg_prepare_dir
    pg_init_once
    pg_start
    log "postgres: started (pid $(pg_pid)) on $LOCAL_PG_HOST:$LOCAL_PG_PORT in $(elapsed_since "$started"), log $PG_LOG"
  fi
  pg_provision "$LOCAL_PG_ADMIN_URL"
}

pg_down() {
  local pid
  if ! pid="$(pg_pid)"; then
    log "postgres: our cluster in $PG_DATA is not running, nothing to stop"
    return 0
  fi
  PG_BIN="$(pg_bin_dir)"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >"$PG_DIR/pg_ctl.log" 2>&1 ||
    die "pg_ctl stop failed for $PG_DATA; read $PG_DIR/pg_ctl.log and $PG_LOG"
  log "postgres: stopped (pid $pid)"
}

pg_status() {
  local pid
  if pg_is_external; then
    PSQL="$(pg_psql_bin)"
    pg_sql "$TLP_PG_ADMIN_URL" "SELECT 1" >/dev/null 2>&1 && printf 'postgres  healthy   external server from TLP_PG_ADMIN_URL\n' && return 0
    printf 'postgres  DOWN      external server from TLP_PG_ADMIN_URL does not answer\n'
    return 1
  fi
  if ! pid="$(pg_pid)"; then
    printf 'postgres  DOWN      not running (log %s)\n' "$PG_LOG"
    return 1
  fi
  PG_BIN="$(pg_bin_dir)"
  if pg_answers; then
    printf 'postgres  healthy   pid %s, %s:%s (log %s)\n' "$pid" "$LOCAL_PG_HOST" "$LOCAL_PG_PORT" "$PG_LOG"
    return 0
  fi
  printf 'postgres  UNHEALTHY pid %s alive but %s:%s does not answer (log %s)\n' "$pid" "$LOCAL_PG_HOST" "$LOCAL_PG_PORT" "$PG_LOG"
  return 1
}
