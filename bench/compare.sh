#!/usr/bin/env bash
# Runs `widerobust bench` and the PyTorch peer on the same network in the same run, one after the other, and prints
# a Markdown table row per width. Usage: bench/compare.sh [ARCH] [WIDTHS] [BATCH] [SECONDS]
#   bench/compare.sh smallcnn "1 2 4" 128 10
# Needs Debian's python3-torch and libopenblas0-pthread (the peer runs with OPENBLAS_NUM_THREADS=1).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
arch="${1:-smallcnn}"; widths="${2:-1 2 4}"; batch="${3:-128}"; seconds="${4:-10}"
threads=$(nproc)
out="${BENCH_OUT:-$here/bench/results}"
mkdir -p "$out"
stamp=$(date -u +%Y-%m-%dT%H:%MZ)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
echo "# $stamp, $cpu, $threads cores, batch $batch, $seconds s per workload" >&2
echo "| k | engine | forward ex/s | input-gradient ex/s | PGD-20 eval ex/s | PGD-10 train step ex/s | GFLOP/s (train) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for k in $widths; do
  "$here/widerobust" bench --arch "$arch" --width "$k" --batch "$batch" --threads "$threads" --device cpu \
      --seconds "$seconds" --json "$out/widerobust-$arch-k$k.json" >/dev/null
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/bench/pytorch_peer.py" --arch "$arch" --width "$k" --batch "$batch" \
      --threads "$threads" --seconds "$seconds" > "$out/pytorch-$arch-k$k.json"
  /usr/bin/python3 - "$out/widerobust-$arch-k$k.json" "$out/pytorch-$arch-k$k.json" "$k" <<'PY'
import json, sys
PEAK = 197.0  # GFLOP/s: this machine type's 2-core fp32 SGEMM peak (2048x2048), see docs/benchmarks.md
w = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2])); k = sys.argv[3]
macs = w["multiply_adds_per_example"] * 23 * 2 / 1e9
for name, r in (("widerobust", w), ("pytorch 1.13", p)):
    t = r["pgd10_train_step_examples_per_s"]
    print(f"| {k} | {name} | {r['forward_examples_per_s']:.0f} | {r['input_gradient_examples_per_s']:.0f} | "
          f"{r['pgd20_eval_examples_per_s']:.1f} | {t:.1f} | "
          f"{t * macs:.0f} | {r['peak_rss_bytes'] / 2**20:.0f} |")
print(f"| {k} | ratio | {w['forward_examples_per_s'] / p['forward_examples_per_s']:.2f}x | "
      f"{w['input_gradient_examples_per_s'] / p['input_gradient_examples_per_s']:.2f}x | "
      f"{w['pgd20_eval_examples_per_s'] / p['pgd20_eval_examples_per_s']:.2f}x | "
      f"{w['pgd10_train_step_examples_per_s'] / p['pgd10_train_step_examples_per_s']:.2f}x | "
      f"{w['pgd10_train_step_gflop_per_s'] / PEAK:.0%} of peak | |")
PY
done
