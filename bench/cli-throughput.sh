#!/usr/bin/env bash
# Issue 2 benchmark: eventbench produce/tail vs kcat -P/-C on the same broker, in one run.
#   bench/cli-throughput.sh [BROKERS] [RECORDS]
# BROKERS defaults to 127.0.0.1:19092 (scripts/kafka.sh up). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-127.0.0.1:19092}
N=${2:-1000000}
EB="node bin/run.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file="$work/records.txt"

# ~100-byte records: a sequence number padded with fixed text (deterministic).
node -e '
const n = +process.argv[1]; const pad = "x".repeat(90); const out = [];
for (let i = 0; i < n; i++) out.push(String(i).padStart(9, "0") + " " + pad);
require("fs").writeFileSync(process.argv[2], out.join("\n") + "\n");' "$N" "$file"

now() { date +%s.%N; }
rate() { awk -v n="$N" -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", n / (b - a) }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

suffix=$(date +%s)
t_eb="bench-eb-$suffix"; t_kc="bench-kcat-$suffix"
$EB topic create "$t_eb" -p 3 -b "$B" >/dev/null
$EB topic create "$t_kc" -p 3 -b "$B" >/dev/null

a=$(now); $EB produce "$t_eb" --file "$file" -b "$B" --acks all >/dev/null; b=$(now)
eb_p=$(rate "$a" "$b"); eb_ps=$(secs "$a" "$b")
a=$(now); kcat -P -b "$B" -t "$t_kc" -l -X acks=all "$file"; b=$(now)
kc_p=$(rate "$a" "$b"); kc_ps=$(secs "$a" "$b")

a=$(now); got_eb=$($EB tail "$t_eb" --until end --output raw -b "$B" | wc -l); b=$(now)
eb_c=$(rate "$a" "$b"); eb_cs=$(secs "$a" "$b")
a=$(now); got_kc=$(kcat -C -b "$B" -t "$t_kc" -o beginning -e -q | wc -l); b=$(now)
kc_c=$(rate "$a" "$b"); kc_cs=$(secs "$a" "$b")

[ "$got_eb" -eq "$N" ] || { echo "eventbench tail read $got_eb records, want $N" >&2; exit 1; }
[ "$got_kc" -eq "$N" ] || { echo "kcat read $got_kc records, want $N" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
cold() {
  for _ in 1 2 3 4 5 6 7 8 9 10 11; do
    s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000))
  done | median
}
v_ms=$(cold node bin/run.js --version)
h_ms=$(cold node bin/run.js topic list --help)

$EB topic delete "$t_eb" "$t_kc" --force -b "$B" >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<MD
Broker: $B · records: $N × ~100 B · $(nproc) cores · node $(node --version) · kcat $(kcat -V | sed -n 's/.*version \([^ ]*\).*/\1/p' | head -1)

| workload | eventbench | kcat | ratio |
|---|---|---|---|
| produce from file (acks=all) | $eb_p rec/s ($eb_ps s) | $kc_p rec/s ($kc_ps s) | $(ratio "$eb_p" "$kc_p")× |
| consume earliest→end | $eb_c rec/s ($eb_cs s) | $kc_c rec/s ($kc_cs s) | $(ratio "$eb_c" "$kc_c")× |

Cold start (median of 11): \`eventbench --version\` $v_ms ms · \`eventbench topic list --help\` $h_ms ms
MD
