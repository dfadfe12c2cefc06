#!/usr/bin/env bash
# Cold start-up of a command: runs it N times (output discarded) and prints the median, fastest and slowest wall time
# in seconds. Usage: bench/startup.sh N COMMAND [ARGS...], e.g.
#   bench/startup.sh 10 src/Digits.Cli/bin/Release/net10.0/digits predict samples/canvas-5.png
set -euo pipefail
n=$1; shift
for _ in $(seq "$n"); do
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  echo "$end - $start" | bc
done | sort -n | awk '{t[NR] = $1} END {printf "median %.3f s, fastest %.3f s, slowest %.3f s (%d runs)\n", t[int((NR + 1) / 2)], t[1], t[NR], NR}'
