#!/usr/bin/env bash
# Times Digits beside the anchors in ../shared/anchors (PyTorch, libtorch through TorchSharp, scikit-learn) in ONE run,
# alternating the two sides, so that the ratios hold on a noisy machine. Prints one JSON line per run and a summary.
#
# Usage: bench/compare.sh keras|fast|sklearn|svm60k [DATA] [ROUNDS]
#   keras    one epoch of the Keras convnet on 60k, 2 threads: digits train keras vs libtorch vs PyTorch; then inference
#            of each trained model on the 10k test images and on one image (ours: Digits.Bench infer)
#   fast     time to 99%: digits train cnn-fast (two epochs) vs torch_fast_anchor.py with two epochs (its 99.2% setting),
#            seeds 1..ROUNDS
#   sklearn  digits train logreg / linear-svm vs LogisticRegression(C=0.1) / LinearSVC(C=0.1), full 60k, and
#            digits train svm vs SVC(rbf, C=5, gamma=0.05) on the first 10k
#   svm60k   the RBF SVM on the full 60k, fit and 10k prediction: digits train svm (C=5, gamma=0.05, and the tuned
#            C=10, gamma=0.025) vs SVC(rbf, C=5, gamma=0.05); scikit-learn alone takes about 18 minutes
# Set-up (measuring only, never a project dependency):
#   apt-get install python3-torch python3-sklearn libopenblas0-pthread patchelf time
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: bench/compare.sh keras|fast|sklearn|svm60k [DATA] [ROUNDS]}
data=$(cd "${2:-../shared/data/mnist}" && pwd)
rounds=${3:-2}
anchors=$(cd ../shared/anchors && pwd)
# The machine may set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a current one, so the
# Python anchors run without them (their best case), in their own commands only.
py="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3"
out=$(mktemp -d)
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

dotnet build -c Release src/Digits.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Digits.Bench -v q -nologo >/dev/null
digits() { dotnet src/Digits.Cli/bin/Release/net10.0/digits.dll "$@"; }
# peak RUN...: runs a digits command under /usr/bin/time and adds its peak resident memory ("max_rss_mb") to its JSON line.
peak() {
  /usr/bin/time -f '%M' -o "$out/rss" dotnet src/Digits.Cli/bin/Release/net10.0/digits.dll "$@" > "$out/peak.json"
  sed "s/}\$/, \"max_rss_mb\": $(( $(tail -n 1 "$out/rss") / 1024 ))}/" "$out/peak.json"
}
# record SIDE TASK: wraps each JSON line read from stdin as {"side", "task", "row"} and keeps it.
record() { sed "s/^/{\"side\": \"$1\", \"task\": \"$2\", \"row\": /; s/\$/}/" | tee -a "$out/runs.jsonl"; }

libtorch() {
  # The anchor builds into its own folder, and ../shared is read-only: run a copy.
  local copy=$out/torchsharp
  [ -d "$copy" ] || cp -r "$anchors/torchsharp" "$copy"
  chmod -R u+w "$copy"
  bash "$copy/run.sh" "$@"
}

case $what in
  keras)
    for r in $(seq "$rounds"); do
      peak train keras --data "$data" --epochs 1 --validation 0 --threads 2 --seed "$r" --out "$out/keras.safetensors" --json  \
        | record digits "$what"
      # Inference of the model just trained, in-process after warm-up, on the same 2 threads as libtorch's.
      dotnet bench/Digits.Bench/bin/Release/net10.0/Digits.Bench.dll infer "$data" "$out/keras.safetensors" \
        | grep '"threads": 2' | record digits keras-infer
      libtorch "$data" 1 2 2>/dev/null | tail -n 2 > "$out/libtorch.txt"
      head -n 1 "$out/libtorch.txt" | record libtorch keras
      # The anchor prints its 10k inference (batches of 1000) on the epoch line and one image's time on the last.
      paste -d' ' <(head -n 1 "$out/libtorch.txt" | sed 's/}$/,/') <(tail -n 1 "$out/libtorch.txt" | sed 's/^{//') \
        | record libtorch keras-infer
      $py "$anchors/torch_anchor.py" "$data" 1 2 2>/dev/null | sed -n 1p | record pytorch keras
    done ;;
  fast)
    for r in $(seq "$rounds"); do
      peak train cnn-fast --data "$data" --threads 2 --seed "$r" --out "$out/fast.safetensors" --json  \
        | record digits "$what"
      $py "$anchors/torch_fast_anchor.py" "$data" 2 2 "$r" 2>/dev/null | record pytorch fast
    done ;;
  sklearn)
    for model in logreg linear-svm; do
      digits train "$model" --data "$data" --threads 2 --out "$out/$model.safetensors" --json  \
        | record digits "$model"
      anchor=$([ "$model" = logreg ] && echo logreg || echo linearsvc)
      $py "$anchors/sklearn_anchor.py" "$data" "$anchor" | record sklearn "$model"
    done
    digits train svm --data "$data" --subset 10000 --subset-mode first --C 5 --gamma 0.05 --threads 2 --out "$out/svm.safetensors" --json | record digits svm-10k
    $py "$anchors/sklearn_anchor.py" "$data" svc_rbf_10k | record sklearn svm-10k ;;
  svm60k)
    # The full 60k: scikit-learn's SVC(C=5, gamma=0.05) beside ours with the same settings (the same optimum), then ours
    # with the settings chosen on a validation split (C=10, gamma=0.025; see docs/benchmarks.md). Prediction of the
    # 10k test images is timed in-process for ours (Digits.Bench infer) and inside the anchor for scikit-learn.
    for r in $(seq "$rounds"); do
      digits train svm --data "$data" --C 5 --gamma 0.05 --threads 2 --out "$out/svm-5.safetensors" --json | record digits svm-60k
      dotnet bench/Digits.Bench/bin/Release/net10.0/Digits.Bench.dll infer "$data" "$out/svm-5.safetensors" \
        | grep '"threads": 2' | record digits svm-60k-infer
      digits train svm --data "$data" --C 10 --gamma 0.025 --threads 2 --out "$out/svm-10.safetensors" --json | record digits svm-60k-tuned
      $py "$anchors/sklearn_anchor.py" "$data" svc_rbf | tee "$out/sklearn-svc.json" | record sklearn svm-60k
      sed 's/"predict_10k_s"/"infer_10k_s"/' "$out/sklearn-svc.json" | record sklearn svm-60k-infer
    done ;;
  *) echo "error: unknown comparison '$what', expected keras, fast, sklearn or svm60k" >&2; exit 2 ;;
esac

$py - "$out/runs.jsonl" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
def secs(x): return x.get("train_seconds", x.get("train_s", x.get("fit_s")))
def acc(x): return x.get("test_accuracy", x.get("test_acc"))
groups = {}
infer = [r for r in rows if r["task"].endswith("-infer")]
rows = [r for r in rows if not r["task"].endswith("-infer")]
nan = float("nan")
for task in sorted({r["task"] for r in infer}):
    print(f"{task} (10k test images / one image, 2 threads, after warm-up):")
    sides = {}
    for r in infer:
        if r["task"] == task:
            sides.setdefault(r["side"], []).append((r["row"]["infer_10k_s"], r["row"].get("single_image_ms", nan)))
    med = {side: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for side, v in sides.items()}
    for side, (a, b) in med.items():
        print(f"  {side:<10} {len(sides[side]):>5} runs  10k {a:8.3f} s  one image {b:8.4f} ms")
    if "digits" in med:
        for side, (a, b) in med.items():
            if side != "digits":
                print(f"  digits / {side}: {med['digits'][0] / a:.2f}x (10k), {med['digits'][1] / b:.2f}x (one image)")
for r in rows:
    groups.setdefault(r["task"], {}).setdefault(r["side"], []).append((secs(r["row"]), acc(r["row"])))
for task, sides in groups.items():
    print(f"{task}:")
    print("  side        runs  median train s  test accuracies")
    for side, v in sides.items():
        print(f"  {side:<10} {len(v):>5}  {statistics.median(s for s, _ in v):>14.2f}  {', '.join(f'{a:.4f}' for _, a in v)}")
        rss = [r["row"]["max_rss_mb"] for r in rows if r["task"] == task and r["side"] == side and "max_rss_mb" in r["row"]]
        if rss:
            print(f"  {'':<10} peak memory (max RSS) {max(rss)} MB")
    if "digits" in sides:
        ours = statistics.median(s for s, _ in sides["digits"])
        for side, v in sides.items():
            if side != "digits":
                print(f"  digits / {side}: {ours / statistics.median(s for s, _ in v):.2f}x the time")
PY
