#!/usr/bin/env bash
# HTTP load test of `digits serve` on 127.0.0.1 with wrk (issue 15): bounded in time and count.
# Usage: bench/load/run.sh DATA [SECONDS]   (from the repository root; needs Debian's wrk)
# Prints one line per run: wrk's JSON summary (bench/load/predict.lua), the CPU seconds of the server and of wrk,
# the server's working set, and the server's own p99 for good requests from GET /metrics.
set -euo pipefail
data=${1:?usage: bench/load/run.sh DATA [SECONDS]}
seconds=${2:-30}
port=5099
bodies=/tmp/digits-load
digits=src/Digits.Cli/bin/Release/net10.0/digits
bench=bench/Digits.Bench/bin/Release/net10.0/Digits.Bench
command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)"; exit 1; }

dotnet build -c Release src/Digits.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Digits.Bench -v q -nologo >/dev/null
[ -d $bodies/280 ] || $bench load-bodies "$data" $bodies >/dev/null

echo "# $(date -u +%F' '%T) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "# the model alone, batched, in-process (Digits.Bench infer DATA models/digits-cnn.safetensors):"
$bench infer "$data" models/digits-cnn.safetensors | sed 's/^/#   /'

$digits serve --port $port >/tmp/digits-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done

cpu() { awk '{print $14 + $15}' /proc/$1/stat; }                 # user + system clock ticks
rss() { awk '/VmRSS/ {print $2}' /proc/$1/status; }              # KB
tick=$(getconf CLK_TCK)
good_p99() {                                                     # the server's p99 for 200s on /api/predict, from /metrics
  curl -s http://127.0.0.1:$port/metrics | awk -F'[{}" ,=]+' '
    /^digits_http_request_duration_seconds_bucket/ && /endpoint="\/api\/predict"/ && /status="200"/ {
      for (i = 1; i <= NF; i++) if ($i == "le") le = $(i + 1); n++; b[n] = le; c[n] = $NF }
    END { total = c[n]; for (i = 1; i <= n; i++) if (c[i] >= 0.99 * total) { print b[i]; exit } }'
}
ok_count() {                                                     # the server's count of 200s on /api/predict
  curl -s http://127.0.0.1:$port/metrics | awk '/^digits_http_requests_total/ && /endpoint="\/api\/predict"/ && /status="200"/ {print $NF}'
}
run() {                                                          # NAME WRK-ARGS...
  local name=$1; shift
  local s0 w0; s0=$(cpu $server)
  local start; start=$(date +%s.%N)
  local out; out=$( { /usr/bin/time -f "%U %S" wrk "$@" 2>/tmp/wrk-time.txt; } | tail -n 1)
  local wall; wall=$(echo "$(date +%s.%N) - $start" | bc)
  local s1; s1=$(cpu $server)
  local wcpu; wcpu=$(tail -n 1 /tmp/wrk-time.txt | awk '{print $1 + $2}')
  echo "$name: $out"
  echo "$name: server cpu $(echo "scale=2; ($s1 - $s0) / $tick" | bc) s, wrk cpu $wcpu s, wall $wall s, server rss $(rss $server) KB, server p99 of 200s <= $(good_p99) s (cumulative)"
}

run warm-up -t2 -c64 -d10s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/28
echo "# working set after warm-up: $(rss $server) KB"
# The soak first, so that its working set is compared with the warm-up's and not with the other runs'.
before=$(rss $server)
run "soak: 28x28, 64 connections, 90s" -t2 -c64 -d90s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/28
echo "# working set: $before KB before the soak, $(rss $server) KB after it"
run "28x28, 64 connections, ${seconds}s" -t2 -c64 -d${seconds}s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/28
run "28x28, 16 connections, ${seconds}s" -t2 -c16 -d${seconds}s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/28
run "280x280 canvas, 64 connections, ${seconds}s" -t2 -c64 -d${seconds}s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/280
served=$(ok_count)
run "28x28, a tenth malformed, 64 connections, ${seconds}s" -t2 -c64 -d${seconds}s -s bench/load/predict.lua http://127.0.0.1:$port -- $bodies/28 $bodies/bad 0.1 | tee /tmp/digits-load-malformed.txt
good=$(sed -n 's/.*"sent": {"good": \([0-9]*\).*/\1/p' /tmp/digits-load-malformed.txt)
echo "# malformed run: $good good requests sent (wrk), $(( $(ok_count) - served )) answered 200 by the server (GET /metrics)"
