# shellcheck shell=bash
# A single-node KRaft Kafka built from Maven Central jars. Sourced by scripts/stack.sh after common.sh.
# Invariant: .stack/kafka/pid only ever names a JVM this script started with .stack/kafka's config;
# kafka_pid re-checks the command line so a recycled pid is never signalled.

KAFKA_VERSION=4.1.1
KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_CONFIG="$KAFKA_DIR/server.properties"
KAFKA_PID_FILE="$KAFKA_DIR/pid"
KAFKA_POM="$STACK_SCRIPTS/kafka/pom.xml"
KAFKA_LIBS="${XDG_CACHE_HOME:-$HOME/.cache}/tlp/kafka-$KAFKA_VERSION/libs"
KAFKA_START_TIMEOUT="${TLP_KAFKA_START_TIMEOUT:-60}"

kafka_java() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" major
  if ! command -v "$java" >/dev/null; then
    apt_install openjdk-17-jre-headless
    java=java
  fi
  major="$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  ((${major:-0} >= 17)) || die "Kafka $KAFKA_VERSION needs Java 17 or later; $java is version ${major:-unknown}"
  printf '%s' "$java"
}

# The jar folder is complete only once its stamp matches the pom, so an interrupted download or an
# edited pom resolves again.
kafka_ensure_jars() {
  local stamp="$KAFKA_LIBS/.pom.sha256" want tmp
  want="$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
  [[ -f $stamp && $(cat "$stamp") == "$want" ]] && return 0
  command -v mvn >/dev/null || apt_install maven
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  tmp="$KAFKA_LIBS.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp" "$KAFKA_DIR"
  if ! mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$KAFKA_DIR/mvn.log" 2>&1; then
    rm -rf "$tmp"
    show_log_tail "$KAFKA_DIR/mvn.log"
    die "Maven could not resolve the Kafka jars; read $KAFKA_DIR/mvn.log"
  fi
  printf '%s\n' "$want" >"$tmp/.pom.sha256"
  rm -rf "$KAFKA_LIBS" && mv "$tmp" "$KAFKA_LIBS"
}

kafka_write_config() {
  cat >"$KAFKA_CONFIG" <<EOF
# Written by scripts/stack.sh on every start; edit scripts/stack/kafka.sh instead.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$LOCAL_KAFKA_PORT,CONTROLLER://127.0.0.1:$LOCAL_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$LOCAL_KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$LOCAL_KAFKA_CONTROLLER_PORT
log.dirs=$KAFKA_DIR/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=16777216
log.retention.check.interval.ms=60000
EOF
}

kafka_tool() {
  local java="$1"
  shift
  "$java" -Dlog4j2.configurationFile="$STACK_SCRIPTS/kafka/log4j2.properties" \
    -Dtlp.kafka.log="$KAFKA_DIR/tools.log" -cp "$KAFKA_LIBS/*" "$@"
}

# Formats the KRaft log directory once, as a standalone dynamic quorum (Kafka 4.1: no voters list).
kafka_format_once() {
  local java="$1" id_file="$KAFKA_DIR/cluster-id" id
  [[ -f $KAFKA_DIR/data/meta.properties ]] && return 0
  [[ -s $id_file ]] || kafka_tool "$java" kafka.tools.StorageTool random-uuid >"$id_file"
  id="$(tr -d '[:space:]' <"$id_file")"
  log "formatting Kafka storage in $KAFKA_DIR/data (cluster id $id)"
  kafka_tool "$java" kafka.tools.StorageTool format --standalone -t "$id" -c "$KAFKA_CONFIG" \
    >"$KAFKA_DIR/format.log" 2>&1 || {
    show_log_tail "$KAFKA_DIR/format.log"
    die "formatting Kafka storage failed; read $KAFKA_DIR/format.log"
  }
}

# Prints the recorded pid only if it is alive and still our broker.
kafka_pid() {
  local pid
  pid="$(read_pid "$KAFKA_PID_FILE")" || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_CONFIG" || return 1
  printf '%s' "$pid"
}

kafka_answers() { port_open "${1%%:*}" "${1##*:}" && TLP_KAFKA_BROKERS="$1" node "$STACK_SCRIPTS/kafka-ready.cjs"; }

kafka_healthy() { kafka_pid >/dev/null && kafka_answers "$LOCAL_KAFKA_BROKERS"; }

kafka_check_ports_free() {
  local port
  for port in "$LOCAL_KAFKA_PORT" "$LOCAL_KAFKA_CONTROLLER_PORT"; do
    ! port_open 127.0.0.1 "$port" ||
      die "127.0.0.1:$port is in use by a process this script did not start; stop it, or point TLP_KAFKA_BROKERS at that Kafka"
  done
}

kafka_launch() {
  local java="$1"
  rm -f "$KAFKA_PID_FILE"
  # The heap holds metadata of every partition: test runs leave thousands of prefixed topics behind
  # (512m ran out of heap near 15,000 partitions), hence 2g unless TLP_KAFKA_HEAP_MAX says otherwise.
  # setsid detaches the broker from this shell; the inner bash writes its own pid and execs java,
  # so the pid file names the JVM itself. Closing fd 9 keeps the stack lock out of the daemon.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' tlp-kafka "$KAFKA_PID_FILE" \
    "$java" -Xms256m "-Xmx${TLP_KAFKA_HEAP_MAX:-2g}" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$STACK_SCRIPTS/kafka/log4j2.properties" -Dtlp.kafka.log="$KAFKA_LOG" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG" >"$KAFKA_DIR/stdout.log" 2>&1 </dev/null 9>&- &
}

kafka_fail_start() {
  show_log_tail "$KAFKA_DIR/stdout.log" 10
  show_log_tail "$KAFKA_LOG"
  die "Kafka $1; read $KAFKA_LOG and $KAFKA_DIR/stdout.log"
}

kafka_wait_ready() {
  local started=$SECONDS
  while ((SECONDS - started < KAFKA_START_TIMEOUT)); do
    sleep 1
    if ! kafka_pid >/dev/null; then
      [[ -f $KAFKA_PID_FILE ]] && kafka_fail_start "exited during start-up"
      continue
    fi
    kafka_answers "$LOCAL_KAFKA_BROKERS" && return 0
  done
  kafka_fail_start "did not answer on $LOCAL_KAFKA_BROKERS within ${KAFKA_START_TIMEOUT} s"
}

# Starts the broker without waiting, so its JVM boots while PostgreSQL starts; kafka_await waits.
kafka_begin() {
  local java
  KAFKA_BEGAN_AT=$SECONDS
  KAFKA_MUST_WAIT=0
  if kafka_is_external; then
    kafka_answers "$TLP_KAFKA_BROKERS" || die "external Kafka TLP_KAFKA_BROKERS=$TLP_KAFKA_BROKERS does not answer"
    log "kafka: using external $TLP_KAFKA_BROKERS"
  elif kafka_healthy; then
    log "kafka: already running (pid $(kafka_pid)) on $LOCAL_KAFKA_BROKERS"
  elif kafka_pid >/dev/null; then
    log "kafka: pid $(kafka_pid) is alive but not answering yet; waiting for it"
    KAFKA_MUST_WAIT=1
  else
    kafka_check_ports_free
    java="$(kafka_java)"
    kafka_ensure_jars
    mkdir -p "$KAFKA_DIR/data"
    kafka_write_config
    kafka_format_once "$java"
    kafka_launch "$java"
    KAFKA_MUST_WAIT=1
  fi
}

kafka_await() {
  ((KAFKA_MUST_WAIT == 1)) || return 0
  kafka_wait_ready
  log "kafka: ready (pid $(kafka_pid)) on $LOCAL_KAFKA_BROKERS after $(elapsed_since "$KAFKA_BEGAN_AT"), log $KAFKA_LOG"
}

kafka_stop() {
  local pid waited=0
  pid="$(kafka_pid)" || {
    rm -f "$KAFKA_PID_FILE"
    return 0
  }
  kill -TERM "$pid"
  while pid_alive "$pid" && ((waited < 60)); do
    sleep 0.5
    waited=$((waited + 1))
  done
  pid_alive "$pid" && kill -KILL "$pid"
  rm -f "$KAFKA_PID_FILE"
  log "kafka: stopped (pid $pid)"
}

kafka_down() {
  if [[ ! -f $KAFKA_PID_FILE ]]; then
    log "kafka: not started by this script, nothing to stop"
    return 0
  fi
  kafka_stop
}

kafka_status() {
  local pid
  if kafka_is_external; then
    kafka_answers "$TLP_KAFKA_BROKERS" && printf 'kafka     healthy   external %s\n' "$TLP_KAFKA_BROKERS" && return 0
    printf 'kafka     DOWN      external %s does not answer\n' "$TLP_KAFKA_BROKERS"
    return 1
  fi
  if ! pid="$(kafka_pid)"; then
    printf 'kafka     DOWN      not running (log %s)\n' "$KAFKA_LOG"
    return 1
  fi
  if kafka_answers "$LOCAL_KAFKA_BROKERS"; then
    printf 'kafka     healthy   pid %s, %s (log %s)\n' "$pid" "$LOCAL_KAFKA_BROKERS" "$KAFKA_LOG"
    return 0
  fi
  printf 'kafka     UNHEALTHY pid %s alive but %s does not answer (log %s)\n' "$pid" "$LOCAL_KAFKA_BROKERS" "$KAFKA_LOG"
  return 1
}
