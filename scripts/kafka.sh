#!/usr/bin/env bash
# Run a real, single-node Apache Kafka (KRaft, broker+controller) on 127.0.0.1 for tests
# and benchmarks. Jars come from Maven Central via Maven (scripts/kafka/pom.xml) and are
# cached between runs. Needs: bash, java >= 17, mvn (first run only), node or java for
# the readiness probe. See docs/kafka-compat.md for why the version is pinned.
#
#   scripts/kafka.sh up [--port N] [--controller-port N] [--set key=value]...
#   scripts/kafka.sh down [--port N]
#   scripts/kafka.sh status [--port N]
#   scripts/kafka.sh fetch                          # only download jars into the cache
#   scripts/kafka.sh classpath                      # print the classpath
#   scripts/kafka.sh run-class <MainClass> [args...]
#   scripts/kafka.sh tool <name> [args...]          # `tool list` shows the names
#
# Environment:
#   KAFKA_PORT (19092)  KAFKA_CONTROLLER_PORT (port+1)
#   KAFKA_DATA_DIR (/tmp/eventbench-kafka-<port>)
#   KAFKA_VERSION (4.4.0, pinned below)  EVENTBENCH_KAFKA_CACHE (~/.cache/eventbench/kafka-<version>)
#   KAFKA_HEAP_OPTS (-Xms256m -Xmx1g)  KAFKA_START_TIMEOUT (90 seconds)  JAVA_HOME
#
# `up` prints the bootstrap address 127.0.0.1:<port> as the last line of stdout.
set -euo pipefail

# Newest 4.x that kafkajs 2.2.4 works against for everything eventbench uses
# (docs/kafka-compat.md).
readonly PINNED_KAFKA_VERSION="4.4.0"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly RES_DIR="$SCRIPT_DIR/kafka"
KAFKA_VERSION="${KAFKA_VERSION:-$PINNED_KAFKA_VERSION}"
CACHE_DIR="${EVENTBENCH_KAFKA_CACHE:-$HOME/.cache/eventbench/kafka-$KAFKA_VERSION}"
LIB_DIR="$CACHE_DIR/libs"
MARKER="$CACHE_DIR/.complete"

die() { echo "kafka.sh: $*" >&2; exit 1; }
log() { echo "kafka.sh: $*" >&2; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
}

java_bin() {
  local j
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then j="$JAVA_HOME/bin/java"
  else j="$(command -v java || true)"; fi
  [[ -n "$j" ]] || die "java not found (Kafka 4.x needs Java 17+); set JAVA_HOME or install a JDK"
  echo "$j"
}

check_java() {
  local j major
  j="$(java_bin)"
  major="$("$j" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p')"
  major="${major#1.}"; major="${major%%.*}"
  [[ -n "$major" && "$major" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17+, $j is Java ${major:-?}"
}

# --- jars -----------------------------------------------------------------------------

fetch() {
  [[ -f "$MARKER" ]] && return 0
  command -v mvn >/dev/null || die "mvn not found and no cached jars in $CACHE_DIR"
  mkdir -p "$CACHE_DIR"
  # Serialise concurrent first runs; the marker is re-checked under the lock.
  exec 9>"$CACHE_DIR/.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if [[ -f "$MARKER" ]]; then exec 9>&-; return 0; fi
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIB_DIR"
  local tmp="$CACHE_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -B -q -f "$RES_DIR/pom.xml" \
      "-Dkafka.version=$KAFKA_VERSION" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime "-DoutputDirectory=$tmp" >&2; then
    rm -rf "$tmp"; die "mvn failed to fetch Kafka $KAFKA_VERSION"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] \
    || { rm -rf "$tmp"; die "mvn finished but Kafka jars are missing in $tmp"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  { echo "kafka.version=$KAFKA_VERSION"; echo "jars=$(ls "$LIB_DIR" | wc -l)"; date -u +%FT%TZ; } >"$MARKER"
  exec 9>&-
}

classpath() { fetch; echo "$LIB_DIR/*"; }

# run-class: short-lived tools; quick JIT start, small heap, logs to stderr.
run_class() {
  [[ $# -ge 1 ]] || die "run-class needs a main class"
  check_java
  local cp; cp="$(classpath)"
  # shellcheck disable=SC2086
  exec "$(java_bin)" ${KAFKA_TOOL_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$RES_DIR/tools-log4j2.xml" \
    -cp "$cp" "$@"
}

tool_class() {
  case "$1" in
    topics)               echo org.apache.kafka.tools.TopicCommand ;;
    console-producer)     echo org.apache.kafka.tools.ConsoleProducer ;;
    console-consumer)     echo org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    consumer-groups)      echo org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    configs)              # moved from kafka.admin to org.apache.kafka.tools after 4.0
                          if grep -qa 'org/apache/kafka/tools/ConfigCommand.class' \
                               "$LIB_DIR/kafka-tools-$KAFKA_VERSION.jar" 2>/dev/null; then
                            echo org.apache.kafka.tools.ConfigCommand
                          else echo kafka.admin.ConfigCommand; fi ;;
    get-offsets)          echo org.apache.kafka.tools.GetOffsetShell ;;
    delete-records)       echo org.apache.kafka.tools.DeleteRecordsCommand ;;
    broker-api-versions)  echo org.apache.kafka.tools.BrokerApiVersionsCommand ;;
    metadata-quorum)      echo org.apache.kafka.tools.MetadataQuorumCommand ;;
    transactions)         echo org.apache.kafka.tools.TransactionsCommand ;;
    producer-perf-test)   echo org.apache.kafka.tools.ProducerPerformance ;;
    consumer-perf-test)   echo org.apache.kafka.tools.ConsumerPerformance ;;
    e2e-latency)          echo org.apache.kafka.tools.EndToEndLatency ;;
    dump-log)             echo org.apache.kafka.tools.DumpLogSegments ;;
    storage)              echo kafka.tools.StorageTool ;;
    *) return 1 ;;
  esac
}
readonly TOOL_NAMES="topics console-producer console-consumer consumer-groups configs get-offsets
delete-records broker-api-versions metadata-quorum transactions producer-perf-test
consumer-perf-test e2e-latency dump-log storage"

run_tool() {
  [[ $# -ge 1 ]] || die "tool needs a name: $(echo $TOOL_NAMES)"
  if [[ "$1" == list ]]; then
    fetch; local n; for n in $TOOL_NAMES; do printf '%-20s %s\n' "$n" "$(tool_class "$n")"; done; return 0
  fi
  fetch
  local cls; cls="$(tool_class "$1")" || die "unknown tool '$1'; known: $(echo $TOOL_NAMES)"
  shift
  run_class "$cls" "$@"
}

# --- broker ---------------------------------------------------------------------------

PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-}"
EXTRA_PROPS=()

parse_broker_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) [[ $# -ge 2 ]] || die "--port needs a value"; PORT="$2"; shift 2 ;;
      --port=*) PORT="${1#*=}"; shift ;;
      --controller-port) [[ $# -ge 2 ]] || die "--controller-port needs a value"; CONTROLLER_PORT="$2"; shift 2 ;;
      --controller-port=*) CONTROLLER_PORT="${1#*=}"; shift ;;
      --set) [[ $# -ge 2 && "$2" == *=* ]] || die "--set needs key=value"; EXTRA_PROPS+=("$2"); shift 2 ;;
      --set=*) EXTRA_PROPS+=("${1#*=}"); shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
  [[ "$PORT" =~ ^[0-9]+$ && "$PORT" -gt 0 && "$PORT" -lt 65535 ]] || die "bad port '$PORT'"
  CONTROLLER_PORT="${CONTROLLER_PORT:-$((PORT + 1))}"
  [[ "$CONTROLLER_PORT" =~ ^[0-9]+$ && "$CONTROLLER_PORT" -ne "$PORT" ]] || die "bad controller port '$CONTROLLER_PORT'"
  DATA_DIR="${KAFKA_DATA_DIR:-/tmp/eventbench-kafka-$PORT}"
  PID_FILE="$DATA_DIR/kafka.pid"
  OUT_LOG="$DATA_DIR/kafka.out"
  LOG_DIR="$DATA_DIR/logs"
  ADDRESS="127.0.0.1:$PORT"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be our java with our data dir.
  grep -qa -- "$DATA_DIR" "/proc/$pid/cmdline" 2>/dev/null || [[ ! -d /proc ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Send a Metadata v4 request and succeed when the reply lists at least one broker, i.e.
# the broker is registered and unfenced, not merely listening.
readonly NODE_PROBE='
const net = require("net"); const port = +process.argv[1];
const cid = Buffer.from("kafka.sh");
const body = Buffer.alloc(2 + 2 + 4 + 2 + cid.length + 4 + 1);
let o = 0; body.writeInt16BE(3, o); o += 2; body.writeInt16BE(4, o); o += 2;
body.writeInt32BE(7, o); o += 4; body.writeInt16BE(cid.length, o); o += 2;
cid.copy(body, o); o += cid.length; body.writeInt32BE(-1, o); o += 4; body.writeInt8(0, o);
const len = Buffer.alloc(4); len.writeInt32BE(body.length);
let buf = Buffer.alloc(0);
const s = net.connect(port, "127.0.0.1", () => s.write(Buffer.concat([len, body])));
s.setTimeout(3000, () => process.exit(2));
s.on("error", () => process.exit(2));
s.on("data", d => { buf = Buffer.concat([buf, d]);
  if (buf.length >= 16) { const ok = buf.readInt32BE(4) === 7 && buf.readInt32BE(12) > 0;
    s.destroy(); process.exit(ok ? 0 : 1); } });'

broker_ready() {
  port_open "$PORT" || return 1
  if command -v node >/dev/null; then
    node -e "$NODE_PROBE" "$PORT" >/dev/null 2>&1
  else
    KAFKA_TOOL_OPTS="-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" \
      "${BASH_SOURCE[0]}" run-class org.apache.kafka.tools.BrokerApiVersionsCommand \
      --bootstrap-server "$ADDRESS" >/dev/null 2>&1
  fi
}

new_cluster_id() {
  # Same shape as org.apache.kafka.common.Uuid: 16 random bytes, base64url, no padding,
  # and (like Uuid.randomUuid) never starting with '-'.
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && "$id" != AAAAAAAAAAAAAAAAAAAAA* ]] && { echo "$id"; return; }
  done
}

write_config() {
  cat >"$DATA_DIR/server.properties" <<EOF
# generated by scripts/kafka.sh
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR/data
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.check.interval.ms=30000
EOF
  local kv
  for kv in "${EXTRA_PROPS[@]+"${EXTRA_PROPS[@]}"}"; do
    echo "$kv" >>"$DATA_DIR/server.properties"
  done
}

broker_java_cmd() {
  # shellcheck disable=SC2206
  JAVA_CMD=("$(java_bin)" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    "-Dkafka.logs.dir=$LOG_DIR" "-Dlog4j2.configurationFile=$RES_DIR/log4j2.xml"
    "-Deventbench.kafka.data=$DATA_DIR"
    -cp "$LIB_DIR/*")
}

cmd_up() {
  parse_broker_args "$@"
  local pid
  if pid="$(running_pid)"; then
    if broker_ready; then
      log "already running (pid $pid, data $DATA_DIR)"; echo "$ADDRESS"; return 0
    fi
    die "a Kafka process (pid $pid) owns $DATA_DIR but $ADDRESS does not answer; run: $0 down --port $PORT"
  fi
  port_open "$PORT" && die "port $PORT on 127.0.0.1 is already in use by another process"
  port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT on 127.0.0.1 is already in use"
  check_java
  fetch
  local t0=$SECONDS
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  write_config
  broker_java_cmd
  if [[ ! -f "$DATA_DIR/data/meta.properties" ]]; then
    local cid; cid="$(new_cluster_id)"
    if ! "${JAVA_CMD[@]}" -Xms64m -XX:TieredStopAtLevel=1 kafka.tools.StorageTool format \
        -t "$cid" -c "$DATA_DIR/server.properties" >"$DATA_DIR/format.out" 2>&1; then
      cat "$DATA_DIR/format.out" >&2; die "formatting storage in $DATA_DIR/data failed"
    fi
  fi
  nohup "${JAVA_CMD[@]}" kafka.Kafka "$DATA_DIR/server.properties" >"$OUT_LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local timeout="${KAFKA_START_TIMEOUT:-90}" deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until broker_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "Kafka exited during startup; last lines of $OUT_LOG and $LOG_DIR/kafka.log:"
      tail -n 30 "$OUT_LOG" "$LOG_DIR/kafka.log" >&2 2>/dev/null || true
      rm -f "$PID_FILE"; log "data dir kept for inspection; clean up with: $0 down --port $PORT"; exit 1
    fi
    if (( SECONDS >= deadline )); then
      log "Kafka did not answer on $ADDRESS within ${timeout}s; last log lines:"
      tail -n 30 "$OUT_LOG" "$LOG_DIR/kafka.log" >&2 2>/dev/null || true
      stop_pid "$pid"; rm -f "$PID_FILE"
      log "data dir kept for inspection; clean up with: $0 down --port $PORT"; exit 1
    fi
    sleep 0.25
  done
  log "Kafka $KAFKA_VERSION up in $((SECONDS - t0))s (pid $pid, data $DATA_DIR, controller 127.0.0.1:$CONTROLLER_PORT)"
  echo "$ADDRESS"
}

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 120; i++)); do   # 30 s for a clean shutdown
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  log "pid $pid ignored SIGTERM for 30s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
}

cmd_down() {
  parse_broker_args "$@"
  local pid
  if pid="$(running_pid)"; then
    stop_pid "$pid"
    log "stopped Kafka (pid $pid)"
  else
    log "Kafka on $ADDRESS was not running"
  fi
  case "$DATA_DIR" in
    ""|/|"$HOME"|/tmp) die "refusing to remove data dir '$DATA_DIR'" ;;
  esac
  rm -rf -- "$DATA_DIR"
}

cmd_status() {
  parse_broker_args "$@"
  local pid
  if pid="$(running_pid)"; then
    if broker_ready; then
      echo "running pid=$pid address=$ADDRESS data=$DATA_DIR version=$KAFKA_VERSION"; return 0
    fi
    echo "starting-or-unhealthy pid=$pid address=$ADDRESS data=$DATA_DIR (not answering)"; return 1
  fi
  echo "not running address=$ADDRESS data=$DATA_DIR"; return 1
}

main() {
  [[ $# -ge 1 ]] || { usage; exit 2; }
  local cmd="$1"; shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    fetch) fetch; echo "$LIB_DIR" ;;
    classpath) classpath ;;
    run-class) run_class "$@" ;;
    tool) run_tool "$@" ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
