#!/usr/bin/env bash
# One short load run against a given `digits` build, for A/B comparisons of the server (bench/load/run.sh is the
# full suite). Starts `DIGITS serve`, warms it up for 8 s, then runs wrk at 64 connections for SECONDS and prints
# wrk's JSON summary and the server's own count of 200s on /api/predict during the run (GET /metrics).
# Usage: bench/load/probe.sh DIGITS SECONDS [SCRIPT] [-- SCRIPT-ARGS...]
#   DIGITS       a built `digits` (copy src/Digits.Cli/bin/Release/net10.0 aside to keep an old build)
#   SCRIPT       wrk script (default bench/load/predict.lua); its arguments follow `--`
#                (default: /tmp/digits-load/28, from `Digits.Bench load-bodies`)
# Example, old and new interleaved:
#   for r in 1 2 3; do for v in old new; do bench/load/probe.sh /tmp/cli-$v/digits 20; done; done
set -euo pipefail
digits=${1:?usage: bench/load/probe.sh DIGITS SECONDS [SCRIPT] [-- SCRIPT-ARGS...]}
seconds=${2:?usage: bench/load/probe.sh DIGITS SECONDS [SCRIPT] [-- SCRIPT-ARGS...]}
shift 2
script=bench/load/predict.lua
if [ $# -gt 0 ] && [ "$1" != "--" ]; then script=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(/tmp/digits-load/28)
command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)"; exit 1; }
[ -x "$digits" ] || { echo "error: $digits is not an executable digits build"; exit 1; }
for dir in /tmp/digits-load/28 "${args[0]}"; do           # the warm-up always uses the 28x28 bodies
  [ -e "$dir" ] || { echo "error: $dir not found (Digits.Bench load-bodies DATA /tmp/digits-load)"; exit 1; }
done

port=5098
"$digits" serve --port $port >/tmp/digits-probe.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT   # free the port for the next run
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
curl -sf http://127.0.0.1:$port/healthz >/dev/null || { echo "error: the server did not start (/tmp/digits-probe.log):"; tail -n 5 /tmp/digits-probe.log; exit 1; }
ok_count() {
  curl -s http://127.0.0.1:$port/metrics | awk '/^digits_http_requests_total/ && /endpoint="\/api\/predict"/ && /status="200"/ {print $NF}'
}
wrk -t2 -c64 -d8s -s bench/load/predict.lua http://127.0.0.1:$port -- /tmp/digits-load/28 >/dev/null
before=$(ok_count)
summary=$(wrk -t2 -c64 -d${seconds}s -s "$script" http://127.0.0.1:$port -- "${args[@]}" | tail -n 1)
echo "$digits: $summary"
echo "$digits: the server answered $(( $(ok_count) - before )) requests with 200 during the run"
