#!/usr/bin/env python3
"""Sums ONNX Runtime profiles (Chrome-trace JSON files of `-Dwiderobust.ort.profile=PREFIX`) per operator type.

    WIDEROBUST_JAVA_OPTS="-Xmx6g -XX:+UseSerialGC -Xmn32m -Dwiderobust.ort.profile=/tmp/prof/p" ./widerobust bench --arch mlp --width 1 \
        --seconds 2 --workloads pgd10_train_step
    bench/ort_profile.py /tmp/prof/p_*.json

Prints, per session kind (the graph's name), the time inside ONNX Runtime's runs (model_run), in session creation
(session_initialization) and per operator type, as a Markdown table. Time outside these (Java work, copies, JNI) is
the bench's wall time minus the runs.
"""
import collections
import sys

from ort_profiles import events as load_profiles, is_number, kernel_events


def main(paths):
    op_us = collections.Counter()
    run_us = 0
    init_us = 0
    runs = 0
    for _, events in load_profiles(paths, "bench/ort_profile.py"):
        for e in events:
            dur = e.get("dur", 0) if is_number(e.get("dur", 0)) else 0
            if e.get("cat") == "Session" and e.get("name") == "model_run":
                run_us += dur
                runs += 1
            elif e.get("cat") == "Session" and e.get("name") == "session_initialization":
                init_us += dur
        for e in kernel_events(events):
            op_us[e["args"]["op_name"]] += e.get("dur", 0)
    total_ops = sum(op_us.values())
    print(f"{len(paths)} session profiles, {runs} runs: {run_us / 1e3:.0f} ms in runs, "
          f"{init_us / 1e3:.0f} ms in session creation, {total_ops / 1e3:.0f} ms in kernels "
          f"({(run_us - total_ops) / 1e3:.0f} ms of runs outside kernels)")
    print("| operator | ms | share of kernel time |")
    print("|---|---|---|")
    for op, us in op_us.most_common(15):
        print(f"| {op} | {us / 1e3:.0f} | {us / max(total_ops, 1):.0%} |")


if __name__ == "__main__":
    main(sys.argv[1:])
