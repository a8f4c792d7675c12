#!/usr/bin/env bash
# Runs `widerobust bench` and the PyTorch peer on the same network in the same run, one after the other, and prints
# a Markdown table row per width. Usage: bench/compare.sh [ARCH] [WIDTHS] [BATCH] [SECONDS] [ROUNDS]
#   bench/compare.sh smallcnn "1 2 4" 128 10
#   WORKLOADS=pgd20_eval,pgd10_train_step bench/compare.sh smallcnn "1 2" 128 5 3
# ROUNDS (default 1) > 1 alternates the engines ROUNDS times per width (widerobust, pytorch, widerobust, ...), keeps
# every JSON (suffix -rN), prints the rows and the ratio of each round and then the median ratio per width.
# WORKLOADS (optional) is passed to both engines as --workloads; workloads not run print "-".
# ARCH is smallcnn, mlp (Fashion-MNIST shape) or wrn-D (CIFAR shape, e.g. wrn-16 with WIDTHS "4" for wrn-16-4).
# SGEMM_PEAK_GFLOPS (default 147) is this machine's fp32 SGEMM peak from bench/sgemm_peak.py, for the share of peak.
# Needs Debian's python3-torch and libopenblas0-pthread (the peer runs with OPENBLAS_NUM_THREADS=1).
# Afterwards, bench/scaling.py "$BENCH_OUT"/*-ARCH-k*.json fits each engine's step time against multiply-adds over
# the widths: the fixed per-step overhead and whether time grows faster than the multiply-adds (issue 12).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
arch="${1:-smallcnn}"; widths="${2:-1 2 4}"; batch="${3:-128}"; seconds="${4:-10}"; rounds="${5:-1}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: ROUNDS must be a whole number >= 1, got '$rounds'" >&2; exit 2; }
workloads=()
[ -n "${WORKLOADS:-}" ] && workloads=(--workloads "$WORKLOADS")
threads=$(nproc)
out="${BENCH_OUT:-$here/bench/results}"
mkdir -p "$out"
stamp=$(date -u +%Y-%m-%dT%H:%MZ)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
extra=""
((rounds > 1)) && extra+=", $rounds rounds"
[ -n "${WORKLOADS:-}" ] && extra+=", workloads $WORKLOADS"
echo "# $stamp, $cpu, $threads cores, batch $batch, $seconds s per workload$extra" >&2

# Table rows. Mode "round": the two engines' rows and their ratio row for one JSON pair; mode "median": the median
# of the per-round ratios over all JSON pairs. Arguments: MODE K LABEL W1.json P1.json [W2.json P2.json ...]
read -r -d '' table_py <<'PY' || true
import json, os, statistics, sys
PEAK = float(os.environ.get("SGEMM_PEAK_GFLOPS", "147"))  # GFLOP/s, from bench/sgemm_peak.py (docs/benchmarks.md)
WORKLOADS = (("forward", ".0f"), ("input_gradient", ".0f"), ("pgd20_eval", ".1f"), ("pgd10_train_step", ".1f"),
             ("trades_train_step", ".1f"))
mode, k, label = sys.argv[1:4]
runs = [(json.load(open(a)), json.load(open(b))) for a, b in zip(sys.argv[4::2], sys.argv[5::2])]
suffix = f" {label}" if label else ""

def rate(r, name):
    return r.get(name + "_examples_per_s")

def cell(v, fmt, unit=""):
    return "-" if v is None else format(v, fmt) + unit

def ratios(w, p):  # widerobust / PyTorch per workload, then the training step's share of the SGEMM peak
    rs = [None if rate(w, n) is None or rate(p, n) is None else rate(w, n) / rate(p, n) for n, _ in WORKLOADS]
    g = w.get("pgd10_train_step_gflop_per_s")
    return rs + [None if g is None else g / PEAK]

if mode == "round":
    w, p = runs[0]
    macs = w["multiply_adds_per_example"] * 23 * 2 / 1e9
    for name, r in (("widerobust", w), ("pytorch 1.13", p)):
        t = rate(r, "pgd10_train_step")
        print(f"| {k} | {name}{suffix} | " + " | ".join(cell(rate(r, n), f) for n, f in WORKLOADS) +
              f" | {cell(None if t is None else t * macs, '.0f')} | {r['peak_rss_bytes'] / 2**20:.0f} |")
    name = "ratio" + suffix
else:
    name = "median"
per_round = [ratios(w, p) for w, p in runs]
med = [None if any(r[i] is None for r in per_round) else statistics.median(r[i] for r in per_round)
       for i in range(len(WORKLOADS) + 1)]
print(f"| {k} | {name} | " + " | ".join(cell(v, ".2f", "x") for v in med[:-1]) +
      f" | {cell(med[-1], '.0%', ' of peak')} | |")
PY

echo "| k | engine | forward ex/s | input-gradient ex/s | PGD-20 eval ex/s | PGD-10 train step ex/s | TRADES train step ex/s | GFLOP/s (PGD-10 train) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
for k in $widths; do
  pairs=()
  for ((r = 1; r <= rounds; r++)); do
    tag=""; label=""
    if ((rounds > 1)); then tag="-r$r"; label="r$r"; fi
    wjson="$out/widerobust-$arch-k$k$tag.json"; pjson="$out/pytorch-$arch-k$k$tag.json"
    "$here/widerobust" bench --arch "$arch" --width "$k" --batch "$batch" --threads "$threads" --device cpu \
        --seconds "$seconds" ${workloads[@]+"${workloads[@]}"} --json "$wjson" >/dev/null
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/bench/pytorch_peer.py" --arch "$arch" --width "$k" --batch "$batch" \
        --threads "$threads" --seconds "$seconds" ${workloads[@]+"${workloads[@]}"} > "$pjson"
    /usr/bin/python3 -c "$table_py" round "$k" "$label" "$wjson" "$pjson"
    pairs+=("$wjson" "$pjson")
  done
  if ((rounds > 1)); then
    /usr/bin/python3 -c "$table_py" median "$k" "" "${pairs[@]}"
  fi
done
