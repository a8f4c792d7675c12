#!/usr/bin/env python3
"""Splits a training step's time between the attack and the parameter pass, from the ONNX Runtime profiles of
`widerobust bench --workloads pgd10_train_step` (or trades_train_step) on a convolutional network, where the
parameter pass runs on one session that lives through the run and each step's attack on sessions of its own (the
per-step constant-weight snapshot, docs/ARCHITECTURE.md):

    WIDEROBUST_JAVA_OPTS="-Xmx6g -XX:+UseSerialGC -Xmn32m -Dwiderobust.ort.profile=/tmp/prof/p" ./widerobust bench \\
        --arch smallcnn --width 1 --seconds 6 --workloads pgd10_train_step
    bench/ort_step_parts.py /tmp/prof/p_*.json

The session created first (ONNX Runtime names each profile PREFIX_DATE_TIME.json from its session's creation) is the
parameter pass's, made before the first step; its run count is the number of steps (warm-up included).
Prints the milliseconds per step inside the parameter pass's runs, inside the other sessions' runs (the attack, the
clean and final forwards) and in those sessions' creation. Java's own work between runs is not in the profiles.
"""
import sys

from ort_profiles import events as load_profiles, is_number


def runs_and_creation(events):
    runs = [e["dur"] for e in events if e.get("cat") == "Session" and e.get("name") == "model_run"
            and is_number(e.get("dur"))]
    creation = sum(e["dur"] for e in events if e.get("cat") == "Session"
                   and e.get("name") == "session_initialization" and is_number(e.get("dur")))
    return runs, creation


def main(paths):
    profiles = sorted(load_profiles(paths, "bench/ort_step_parts.py"), key=lambda p: p[0])
    sessions = [runs_and_creation(evs) for _, evs in profiles]
    long_lived = 0
    steps = len(sessions[long_lived][0])
    if len(sessions) < 2 or steps == 0:
        sys.exit("bench/ort_step_parts.py: needs the profiles of a convolutional network's training steps: one "
                 "long-lived session and the per-step sessions")
    others = [s for i, s in enumerate(sessions) if i != long_lived]
    attack = sum(sum(r) for r, _ in others)
    creation = sum(c for _, c in others)
    print(f"{steps} steps, {len(others)} per-step sessions")
    print(f"parameter pass: {sum(sessions[long_lived][0]) / steps / 1e3:.0f} ms per step")
    print(f"attack and forwards (per-step sessions' runs): {attack / steps / 1e3:.0f} ms per step")
    print(f"per-step sessions' creation: {creation / steps / 1e3:.1f} ms per step")


if __name__ == "__main__":
    main(sys.argv[1:])
