#!/usr/bin/env bash
# Issue 4 benchmark: event generation alone, then `publish --rate max` of N events end to end,
# against the embedded broker and against Apache Kafka, in one run. Prints Markdown.
#   bench/publish.sh [N=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
EB_PORT=19193
KAFKA_PORT=19293
work=$(mktemp -d)
eb_pid=
cleanup() {
  [ -n "$eb_pid" ] && kill "$eb_pid" 2>/dev/null || true
  scripts/kafka.sh down --port "$KAFKA_PORT" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ms_now() { date +%s%3N; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }

gen=$(node --import tsx bench/generate.ts "$N" sourcing 2>/dev/null | tail -1)

node dist/lib/broker/bin.js --port "$EB_PORT" --data-dir "$work/eb" --log-level warn >/dev/null 2>&1 &
eb_pid=$!
scripts/kafka.sh up --port "$KAFKA_PORT" >/dev/null
until node bench/lib/first-request.mjs 127.0.0.1 "$EB_PORT" >/dev/null; do sleep 0.1; done

declare -A R
for which in eb kafka; do
  if [ "$which" = eb ]; then B="127.0.0.1:$EB_PORT"; else B="127.0.0.1:$KAFKA_PORT"; fi
  t0=$(ms_now)
  node bin/run.js publish all --count "$N" --seed bench --start-time "$(date -u -d "2 days ago" +%Y-%m-%dT%H:%M:%SZ)" --rate max -b "$B" --json >"$work/$which.json"
  R[$which]=$(rate "$N" $(($(ms_now) - t0)))
done
cat <<MD
$(date -u +%F) · $(nproc) cores · node $(node --version) · all five domains, sourcing shape, --seed bench

- generation alone: $gen
- \`publish all --count $N --rate max\` end to end (process start to exit, topics created): embedded ${R[eb]} events/s · Apache Kafka 4.4.0 ${R[kafka]} events/s
MD
