#!/usr/bin/env python3
"""How a training step's time grows with width, from the JSON files of bench/compare.sh (issue 12's scaling rule).

For each engine, family and training-step workload, the time of one step (batch / examples-per-second, median over
rounds) is fitted over the widths as  t(k) = a + b * M(k),  with M(k) the step's multiply-adds (per-example
multiply-adds x batch). a is the fixed per-step overhead (what a step costs that does not grow with the network),
b the time per multiply-add. The rule "the time per step from the smallest to the largest width must not grow
faster than the multiply-adds do" holds when t(kmax) / t(kmin) <= M(kmax) / M(kmin).

    bench/scaling.py bench/results/*-smallcnn-k*.json

Prints a Markdown table. Needs two widths or more per engine and family.
"""
import collections
import json
import statistics
import sys

WORKLOADS = ("pgd10_train_step", "trades_train_step")


def main(paths):
    runs = collections.defaultdict(lambda: collections.defaultdict(list))  # (engine, arch) -> width -> [json]
    macs_per_example = {}  # (arch, width) -> multiply-adds; only widerobust's report has them (same networks)
    for p in paths:
        with open(p) as f:
            j = json.load(f)
        engine = "widerobust" if j.get("engine", "").startswith("widerobust") else "pytorch"
        runs[(engine, j["arch"])][float(j["width"])].append(j)
        if "multiply_adds_per_example" in j:
            macs_per_example[(j["arch"], float(j["width"]))] = j["multiply_adds_per_example"]
    print("| family | engine | workload | widths | step ms (per width) | fixed overhead a, ms/step | share of the "
          "smallest width's step | time growth | multiply-add growth | grows no faster than multiply-adds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (engine, arch), by_width in sorted(runs.items()):
        widths = sorted(by_width)
        if len(widths) < 2:
            continue
        for w in WORKLOADS:
            pts = []
            for k in widths:
                if (arch, k) not in macs_per_example:
                    break
                rates = [r[w + "_examples_per_s"] for r in by_width[k] if r.get(w + "_examples_per_s")]
                if not rates:
                    break
                batch = by_width[k][0]["batch"]
                macs = macs_per_example[(arch, k)] * batch
                pts.append((k, macs, batch / statistics.median(rates)))
            if len(pts) != len(widths):
                continue
            a, b = fit(pts)
            t0, tn = pts[0][2], pts[-1][2]
            m0, mn = pts[0][1], pts[-1][1]
            print(f"| {arch} | {engine} | {w} | {', '.join(f'{k:g}' for k in widths)} | "
                  f"{', '.join(f'{t * 1e3:.0f}' for _, _, t in pts)} | {a * 1e3:.0f} | {a / t0:.0%} | "
                  f"{tn / t0:.2f}x | {mn / m0:.2f}x | {'yes' if tn / t0 <= mn / m0 else 'no'} |")


def fit(pts):
    """Least squares t = a + b * m over the points (k, m, t)."""
    ms = [m for _, m, _ in pts]
    ts = [t for _, _, t in pts]
    mm, mt = statistics.fmean(ms), statistics.fmean(ts)
    var = sum((m - mm) ** 2 for m in ms)
    b = sum((m - mm) * (t - mt) for m, t in zip(ms, ts)) / var
    return mt - b * mm, b


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: bench/scaling.py BENCH.json... (two widths or more)")
    main(sys.argv[1:])
