#!/usr/bin/python3
"""PyTorch peer for `widerobust bench`: the identical network and the identical three workloads.

Run with Debian's python3-torch (PyTorch 1.13, CPU) at its best: libopenblas0-pthread installed,
OPENBLAS_NUM_THREADS=1 (nested BLAS threads halve its speed) and torch.set_num_threads(<cores>).
Prints one JSON object with examples/s for forward, forward + input gradient, a PGD-20 evaluation
attack, and one PGD-10 adversarial-training step (10 input-gradient passes + 1 parameter-gradient
pass + SGD update). --workloads selects a subset; the others are left out of the JSON.
"""
import argparse
import json
import os
import platform
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def smallcnn(k, classes=10, in_ch=1, size=28):
    c1, c2, fc = max(1, round(32 * k)), max(1, round(64 * k)), max(1, round(200 * k))
    s = ((size - 4) // 2 - 4) // 2
    return nn.Sequential(
        nn.Conv2d(in_ch, c1, 3), nn.ReLU(), nn.Conv2d(c1, c1, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3), nn.ReLU(), nn.Conv2d(c2, c2, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * s * s, fc), nn.ReLU(), nn.Linear(fc, fc), nn.ReLU(), nn.Linear(fc, classes))


def mlp(k, classes=10, in_features=784):
    h = max(1, round(256 * k))
    return nn.Sequential(nn.Flatten(), nn.Linear(in_features, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(),
                         nn.Linear(h, classes))


def timeit(fn, batch, min_seconds, warmup):
    for _ in range(warmup):
        fn()
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and n >= 3:
            return batch * n / elapsed


WORKLOADS = ("forward", "input_gradient", "pgd20_eval", "pgd10_train_step")


def workload_list(text):
    """Parses --workloads: comma-separated names of WORKLOADS (as `widerobust bench --workloads`)."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown workload '{unknown[0]}'; choose from {','.join(WORKLOADS)}")
    if not names:
        raise argparse.ArgumentTypeError(f"must name at least one of {','.join(WORKLOADS)}")
    return set(names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="smallcnn", choices=["smallcnn", "mlp"])
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--workloads", type=workload_list, default=set(WORKLOADS),
                    help="comma-separated subset of " + ",".join(WORKLOADS) + " (default all)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = smallcnn(args.width) if args.arch == "smallcnn" else mlp(args.width)
    x = torch.rand(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = args.eps / 4

    def forward():
        with torch.no_grad():
            model(x)

    def input_gradient(xin=x):
        xa = xin.detach().requires_grad_(True)
        loss = F.cross_entropy(model(xa), y, reduction="sum")
        return torch.autograd.grad(loss, xa)[0]

    def pgd20_eval():
        xa = x.clone()
        for _ in range(20):
            g = input_gradient(xa)
            xa = torch.min(torch.max(xa + args.eps / 8 * g.sign(), x - args.eps), x + args.eps).clamp(0, 1)
        with torch.no_grad():
            model(xa).argmax(1)

    def pgd10_train_step():
        model.eval()
        xa = x.clone()
        for _ in range(10):
            g = input_gradient(xa)
            xa = torch.min(torch.max(xa + step * g.sign(), x - args.eps), x + args.eps).clamp(0, 1)
        model.train()
        opt.zero_grad()
        F.cross_entropy(model(xa), y).backward()
        opt.step()

    out = {
        "engine": "pytorch " + torch.__version__,
        "arch": args.arch, "width": args.width, "batch": args.batch, "threads": torch.get_num_threads(),
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    for name, fn, warmup in (("forward", forward, 3), ("input_gradient", input_gradient, 3),
                             ("pgd20_eval", pgd20_eval, 1), ("pgd10_train_step", pgd10_train_step, 1)):
        if name in args.workloads:
            out[name + "_examples_per_s"] = timeit(fn, args.batch, args.seconds, warmup)
    out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out["machine"] = platform.processor() or platform.machine()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
