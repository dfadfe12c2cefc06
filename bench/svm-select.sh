#!/usr/bin/env bash
# Chooses the full-60k kernel SVM's settings on a 10% stratified validation split of the training set (seed 1; the
# SVM trains on the other 54k). Prints one JSON line per setting: choose by "validation_accuracy"; "test_accuracy" is
# reported by `digits train` but must not be used to choose. About 15 minutes on 2 cores.
# Usage: bench/svm-select.sh [DATA]
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(cd "${1:-../shared/data/mnist}" && pwd)
out=$(mktemp -d)
dotnet build -c Release src/Digits.Cli -v q -nologo >/dev/null
for spec in "10 0.025" "10 0.035" "5 0.035" "10 0.025 --deskew" "10 0.035 --deskew" "5 0.035 --deskew" "10 0.018 --deskew" \
            "10 0.025 --virtual-sv" "10 0.025 --deskew --virtual-sv"; do
  set -- $spec
  c=$1 gamma=$2; shift 2
  echo "# C=$c gamma=$gamma $*" >&2
  dotnet src/Digits.Cli/bin/Release/net10.0/digits.dll train svm --data "$data" --C "$c" --gamma "$gamma" "$@" \
    --validation 0.1 --seed 1 --threads 2 --out "$out/svm.safetensors" --json
done
