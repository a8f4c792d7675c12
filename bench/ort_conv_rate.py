#!/usr/bin/env python3
"""How fast ONNX Runtime's convolutions run, from its profiles (`-Dwiderobust.ort.profile=PREFIX`).

    WIDEROBUST_JAVA_OPTS="-Xmx6g -XX:+UseSerialGC -Xmn32m -Dwiderobust.ort.profile=/tmp/prof/p" \
        ./widerobust bench --arch smallcnn --width 1 --seconds 6 --workloads pgd10_train_step
    bench/ort_conv_rate.py /tmp/prof/p_*.json

Each profile is one session. A session is counted as the "parameter pass" when it runs Gemm and Slice (the weight
gradients, one Gemm per kernel offset), as the "attack" otherwise (forward and input-gradient graphs). For every
Conv, FusedConv and ConvTranspose node the multiply-adds come from the profiled shapes: output elements x input
channels per group x kernel area (for ConvTranspose: input elements x output channels x kernel area; its weight is
a constant the profile does not list, taken as 3 x 3, as in every family here). Prints, per session kind and
convolution kind (dense, or one input channel per group: depthwise ReLU masks, and the image layer with its one
channel), the kernel time,
GFLOP/s (2 FLOP per multiply-add) and the share of the kind's kernel time, then the largest other operators.
"""
import collections
import math
import sys

from ort_profiles import events as load_profiles, fail, kernel_events

CONVS = ("Conv", "FusedConv", "ConvTranspose")


def shapes(entries):
    return [list(e.values())[0] for e in entries]


def multiply_adds(op, args):
    ins = shapes(args["input_type_shape"])
    out = shapes(args["output_type_shape"])[0]
    if op == "ConvTranspose":
        kernel = ins[1][2] * ins[1][3] if len(ins) > 1 else 9
        return math.prod(ins[0]) * out[1] * kernel, out[1] == 1
    w = ins[1]
    return math.prod(out) * w[1] * w[2] * w[3], w[1] == 1


def main(paths):
    convs = collections.defaultdict(lambda: [0, 0, 0])
    other = collections.Counter()
    total = collections.Counter()
    for path, events in load_profiles(paths, "bench/ort_conv_rate.py"):
        nodes = kernel_events(events)
        ops = {e["args"]["op_name"] for e in nodes}
        kind = "parameter pass" if {"Gemm", "Slice"} <= ops else "attack"
        for e in nodes:
            op = e["args"]["op_name"]
            total[kind] += e.get("dur", 0)
            if op in CONVS:
                try:
                    macs, single = multiply_adds(op, e["args"])
                except (KeyError, IndexError, TypeError, AttributeError):
                    fail("bench/ort_conv_rate.py", f"{path}: a {op} event has no input and output shapes")
                key = (kind, op, "depthwise or image layer" if single else "dense")
                convs[key][0] += e.get("dur", 0)
                convs[key][1] += macs
                convs[key][2] += 1
            else:
                other[(kind, op)] += e.get("dur", 0)
    print("| session | operator | convolution | nodes | ms | GFLOP/s | share of the session's kernel time |")
    print("|---|---|---|---|---|---|---|")
    for (kind, op, conv), (us, macs, count) in sorted(convs.items()):
        print(f"| {kind} | {op} | {conv} | {count} | {us / 1e3:.0f} | {2 * macs / us / 1e3:.1f} | "
              f"{us / total[kind]:.0%} |")
    for (kind, op), us in other.most_common(10):
        print(f"| {kind} | {op} | | | {us / 1e3:.0f} | | {us / total[kind]:.0%} |")
    print()
    print(", ".join(f"{k}: {v / 1e3:.0f} ms of kernels" for k, v in sorted(total.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
