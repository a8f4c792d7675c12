#!/usr/bin/env python3
"""Tables for docs/war.md from the run directories of bench/war_experiment.sh (plain Python 3, no packages).
   bench/war_report.py RUNS_DIR"""
import json
import os
import sys

runs = sys.argv[1]
names = sorted(os.listdir(runs), key=lambda n: (n != "ref", n.split("-k")[-1], n))
print("| run | width | λ rule | ρ last epoch (R_rob / R_nat) | λ last / mean (last epoch) | Lipschitz proxy "
      "| val robust (best epoch) | test natural | test PGD-20 | test stability |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in names:
    d = os.path.join(runs, n)
    try:
        t = json.load(open(os.path.join(d, "train.json")))
        e = json.load(open(os.path.join(d, "eval.json")))
    except OSError:
        continue
    last = t["epochs"][-1]
    rho = last["robust_regularization"] / last["natural_risk"]
    best = t.get("best", {})
    width = t["config"]["network"]
    print(f"| {n} | {width} | {t['config']['lambda_rule']['rule']} | {rho:.4f} | "
          f"{last['lambda']['last']:.2f} / {last['lambda']['mean']:.2f} | {last['local_lipschitz']:.3f} | "
          f"{best.get('val_robust_accuracy', float('nan')):.3f} ({best.get('epoch', '-')}) | "
          f"{100 * e['natural_accuracy']:.1f}% | {100 * e['robust_accuracy']:.1f}% | "
          f"{100 * e['perturbation_stability']:.1f}% |")
print()
print("Per-epoch ρ (mean R_rob / mean R_nat) and λ (last):")
print()
for n in names:
    try:
        t = json.load(open(os.path.join(runs, n, "train.json")))
    except OSError:
        continue
    eps = t["epochs"]
    print(f"- {n}: ρ " + ", ".join(f"{x['robust_regularization'] / x['natural_risk']:.4f}" for x in eps)
          + "; λ " + ", ".join(f"{x['lambda']['last']:.2f}" for x in eps))
print()
print("λ trajectory of the WAR runs (every 20th batch: λ used, ρ_t):")
print()
for n in names:
    if "war" not in n:
        continue
    lines = []
    for line in open(os.path.join(runs, n, "train-batches.jsonl")):
        try:
            lines.append(json.loads(line))
        except ValueError:
            break
    pts = lines[19::20]
    print(f"- {n}: " + ", ".join(f"{p['lambda']:.2f}/{p['ratio']:.4f}" for p in pts))
