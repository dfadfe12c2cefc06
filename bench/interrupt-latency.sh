#!/usr/bin/env bash
# How fast each long command answers Ctrl+C: starts it with --verbose, waits for the line that says the work has begun
# (plus a short delay), sends SIGINT, and prints the seconds from the signal to the process's exit, with the exit code.
# The target (issue 11): every command stops within 2 s with exit 130.
#
# Usage: bench/interrupt-latency.sh [DATA] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(cd "${1:-../shared/data/mnist}" && pwd)
rounds=${2:-3}
dotnet build -c Release src/Digits.Cli -v q -nologo >/dev/null
dll=src/Digits.Cli/bin/Release/net10.0/digits.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# An SVM model and a test folder of 60,000 images (the training files in the test files' place) for a long evaluation.
dotnet "$dll" train svm --data "$data" --subset 4000 --out "$work/svm.safetensors" >/dev/null 2>&1
mkdir "$work/big"
for f in "$data"/train-*ubyte*; do
  name=$(basename "$f")
  ln -s "$f" "$work/big/$name"
  ln -s "$f" "$work/big/${name/train-/t10k-}"
done

# measure NAME MARKER DELAY_SECONDS ARGS...
measure() {
  local name=$1 marker=$2 delay=$3
  shift 3
  local log="$work/log"
  # A shell starts background commands with SIGINT ignored, and a signal ignored at start stays ignored in .NET:
  # give the command the default disposition back, as a terminal would.
  env --default-signal=INT dotnet "$dll" "$@" --verbose >"$work/out" 2>"$log" &
  local pid=$!
  for _ in $(seq 600); do grep -q "^$marker" "$log" 2>/dev/null && break; sleep 0.05; done
  sleep "$delay"
  local t0
  t0=$(date +%s.%N)
  kill -INT "$pid"
  local code=0
  wait "$pid" || code=$?
  local t1
  t1=$(date +%s.%N)
  printf '{"command": "%s", "seconds_to_exit": %.3f, "exit": %d}\n' "$name" "$(echo "$t1 - $t0" | bc)" "$code"
}

for r in $(seq "$rounds"); do
  measure "train logreg" "training " 0.5 train logreg --data "$data" --out "$work/m.safetensors" --json
  measure "train linear-svm" "training " 0.5 train linear-svm --data "$data" --out "$work/m.safetensors" --json
  measure "train svm" "training " 0.5 train svm --data "$data" --subset 20000 --out "$work/m.safetensors" --json
  measure "train cnn-fast" "training " 1.0 train cnn-fast --data "$data" --out "$work/m.safetensors" --json
  measure "train cnn (ensemble 2)" "training " 1.0 train cnn --ensemble 2 --data "$data" --out "$work/m.safetensors" --json
  measure "evaluate (svm, 60k images)" "evaluating " 0.3 evaluate "$work/svm.safetensors" --data "$work/big" --json
  measure "tune logreg" "tuning " 0.5 tune logreg --data "$data" --out "$work/t.json" --heatmap "$work/t.png" --json
done
