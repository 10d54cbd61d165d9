#!/usr/bin/env bash
# Issue 2 benchmark: cold start of `eventbench --version` and `eventbench topic list --help`.
#   bench/cold-start.sh [RUNS] [RUN_JS...]
# RUNS defaults to 11. Each RUN_JS (default bin/run.js) is a bin/run.js of a built checkout;
# give two to compare them: their runs alternate, so both see the same machine load.
# Prints the median wall time in ms per command, with `node -e 0` as the floor and the load
# average before and after, since a shared machine moves these figures a lot.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(bin/run.js)
for b in "${bins[@]}"; do [ -f "$b" ] || { echo "no such file: $b" >&2; exit 2; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //'; }

# Every command must work before it is timed: a failing command can be fast.
for b in "${bins[@]}"; do
  node "$b" --version >/dev/null
  node "$b" topic list --help >/dev/null
done

before=$(load)
for _ in $(seq "$runs"); do
  ms node -e 0 >>"$work/floor"
  for i in "${!bins[@]}"; do
    ms node "${bins[$i]}" --version >>"$work/version.$i"
    ms node "${bins[$i]}" topic list --help >>"$work/help.$i"
  done
done
after=$(load)

echo "$(nproc) cores · node $(node --version) · median of $runs · load average $before before, $after after"
echo "node -e 0: $(median <"$work/floor") ms"
for i in "${!bins[@]}"; do
  echo "${bins[$i]}: \`eventbench --version\` $(median <"$work/version.$i") ms · \`eventbench topic list --help\` $(median <"$work/help.$i") ms"
done
