#!/usr/bin/env bash
# The Width Adjusted Regularization experiment of docs/war.md: a reference run at a small width with a fixed
# lambda0, then wider runs with the same fixed lambda0 and with WAR (ratio rule, rho_ref from the reference model),
# each evaluated with PGD-20 on the first 1,000 Fashion-MNIST test images. Runs one at a time, niced.
#   bench/war_experiment.sh OUTDIR [WIDTHS] [LIMIT] [EPOCHS]
# Environment: WIDEROBUST (the launcher or a java command line; default ./widerobust), REF_WIDTH (default 0.25),
# VAL (held-out examples, default 1000).
set -euo pipefail
out=${1:?usage: bench/war_experiment.sh OUTDIR [WIDTHS] [LIMIT] [EPOCHS]}
widths=${2:-"1 2"}
limit=${3:-6000}
epochs=${4:-2}
ref_width=${REF_WIDTH:-0.25}
val=${VAL:-1000}
wr=${WIDEROBUST:-./widerobust}
common=(--arch mlp --data fashion-mnist --limit "$limit" --val "$val" --val-steps 10 --method trades --lambda 6
        --eps 0.1 --steps 10 --step-size 0.025 --batch 128 --lr 0.01 --epochs "$epochs" --seed 1 --device cpu
        --threads 2 --quiet)
run() { # name width extra...
  local name=$1 width=$2; shift 2
  echo "== $name (width $width) $(date -u +%FT%TZ)"
  nice -n 10 $wr train "${common[@]}" --width "$width" --out "$out/$name" "$@" | tail -n "$epochs"
  nice -n 10 $wr evaluate --model "$out/$name/model.onnx" --data fashion-mnist --split test --limit 1000 \
    --attack pgd --eps 0.1 --steps 20 --step-size 0.025 --no-random-start --device cpu --threads 2 \
    --json "$out/$name/eval.json" | grep -E "accuracy|stability"
}
mkdir -p "$out"
run ref "$ref_width" --war fixed
for k in $widths; do
  run "fixed-k$k" "$k" --war fixed
  run "war-k$k" "$k" --war ratio --war-reference "$out/ref/model.tribuo"
done
echo "== done $(date -u +%FT%TZ)"
