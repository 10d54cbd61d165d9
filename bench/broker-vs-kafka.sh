#!/usr/bin/env bash
# Issue 3 benchmark: the embedded broker vs Apache Kafka (scripts/kafka.sh), same clients, same
# workloads, one run, this machine. Prints a Markdown table.
#   bench/broker-vs-kafka.sh [RECORDS=1000000] [BIG=10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BIG=${2:-10000000}
EB_PORT=19192
KAFKA_PORT=19292
work=$(mktemp -d)
eb_pid=
cleanup() {
  [ -n "$eb_pid" ] && kill "$eb_pid" 2>/dev/null || true
  scripts/kafka.sh down --port "$KAFKA_PORT" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Record timestamps end a minute ago: older ones would be deleted by the 7-day retention during the run.
export BENCH_TS_BASE=$(( $(date +%s%3N) - BIG - 60000 ))
file="$work/records.txt"
node -e 'const n=+process.argv[1], pad="x".repeat(90), o=[]; for (let i=0;i<n;i++) o.push(String(i).padStart(9,"0")+" "+pad); require("fs").writeFileSync(process.argv[2], o.join("\n")+"\n")' "$N" "$file"

ms_now() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
tsx() { node --import tsx "$@"; }

# --- start both, timing process start → first answered request (ApiVersions, polled every 5 ms)
node bench/lib/first-request.mjs 127.0.0.1 "$EB_PORT" >"$work/eb.ready" &
probe=$!
sleep 0.3 # let the probe's own node start finish first
t0=$(ms_now)
node dist/lib/broker/bin.js --port "$EB_PORT" --data-dir "$work/eb" --log-level warn >"$work/eb.out" 2>"$work/eb.err" &
eb_pid=$!
wait "$probe"
eb_start=$(($(cat "$work/eb.ready") - t0))

scripts/kafka.sh down --port "$KAFKA_PORT" >/dev/null 2>&1 || true
node bench/lib/first-request.mjs 127.0.0.1 "$KAFKA_PORT" >"$work/kafka.ready" &
probe=$!
sleep 0.3
t0=$(ms_now)
scripts/kafka.sh up --port "$KAFKA_PORT" >/dev/null
wait "$probe"
kafka_start=$(($(cat "$work/kafka.ready") - t0))
kafka_pid=$(cat "/tmp/eventbench-kafka-$KAFKA_PORT/kafka.pid" 2>/dev/null || pgrep -f "kafka.Kafka.*$KAFKA_PORT" | head -1)

declare -A R
for which in eb kafka; do
  if [ "$which" = eb ]; then B="127.0.0.1:$EB_PORT"; pid=$eb_pid; else B="127.0.0.1:$KAFKA_PORT"; pid=$kafka_pid; fi
  t="bench-kcat-$which"
  node bin/run.js topic create "$t" -p 3 -b "$B" >/dev/null
  t0=$(ms_now); kcat -P -b "$B" -t "$t" -l -X acks=all "$file"; R[$which.kcat_p]=$(rate "$N" $(($(ms_now) - t0)))
  R[$which.rss]=$(rss_mb "$pid")
  t0=$(ms_now); got=$(kcat -C -b "$B" -t "$t" -o beginning -e -q | wc -l); R[$which.kcat_c]=$(rate "$N" $(($(ms_now) - t0)))
  [ "$got" -eq "$N" ] || { echo "$which: kcat read $got, want $N" >&2; exit 1; }
  j=$(tsx bench/lib/kafkajs-load.ts "$B" throughput 200000)
  R[$which.kjs_p]=$(node -pe "JSON.parse(process.argv[1]).produceRps" "$j")
  R[$which.kjs_c]=$(node -pe "JSON.parse(process.argv[1]).consumeRps" "$j")
  j=$(tsx bench/lib/kafkajs-load.ts "$B" latency 1000)
  R[$which.p50]=$(node -pe "JSON.parse(process.argv[1]).p50Ms" "$j"); R[$which.p99]=$(node -pe "JSON.parse(process.argv[1]).p99Ms" "$j")
  tsx bench/lib/kafkajs-load.ts "$B" fill "bench-big-$which" "$BIG" >/dev/null
  j=$(tsx bench/lib/kafkajs-load.ts "$B" offsets "bench-big-$which")
  R[$which.ts50]=$(node -pe "JSON.parse(process.argv[1]).p50Ms" "$j"); R[$which.ts99]=$(node -pe "JSON.parse(process.argv[1]).p99Ms" "$j")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<MD
$(date -u +%F) · $(nproc) cores · load average at start $(cut -d' ' -f1 /proc/loadavg) · node $(node --version) · Apache Kafka 4.4.0 (scripts/kafka.sh) · kcat/librdkafka from Debian

| measure | embedded | Apache Kafka | ratio (embedded / Kafka) |
|---|---|---|---|
| kcat produce $N × 100 B, acks=all (rec/s) | ${R[eb.kcat_p]} | ${R[kafka.kcat_p]} | $(ratio "${R[eb.kcat_p]}" "${R[kafka.kcat_p]}")× |
| kcat consume earliest→end (rec/s) | ${R[eb.kcat_c]} | ${R[kafka.kcat_c]} | $(ratio "${R[eb.kcat_c]}" "${R[kafka.kcat_c]}")× |
| kafkajs produce 200k, batches of 1000, acks=all (rec/s) | ${R[eb.kjs_p]} | ${R[kafka.kjs_p]} | $(ratio "${R[eb.kjs_p]}" "${R[kafka.kjs_p]}")× |
| kafkajs consume 200k (rec/s) | ${R[eb.kjs_c]} | ${R[kafka.kjs_c]} | $(ratio "${R[eb.kjs_c]}" "${R[kafka.kjs_c]}")× |
| single-record acks=all round trip p50 / p99 (ms) | ${R[eb.p50]} / ${R[eb.p99]} | ${R[kafka.p50]} / ${R[kafka.p99]} | $(ratio "${R[eb.p50]}" "${R[kafka.p50]}")× (p50) |
| process start → first answered request (ms) | $eb_start | $kafka_start (incl. storage format) | $(ratio "$eb_start" "$kafka_start")× |
| RSS holding $N records (MiB) | ${R[eb.rss]} | ${R[kafka.rss]} | $(ratio "${R[eb.rss]}" "${R[kafka.rss]}")× |
| ListOffsets by timestamp on a $BIG-record partition, p50 / p99 (ms) | ${R[eb.ts50]} / ${R[eb.ts99]} | ${R[kafka.ts50]} / ${R[kafka.ts99]} | $(ratio "${R[eb.ts50]}" "${R[kafka.ts50]}")× (p50) |
MD
