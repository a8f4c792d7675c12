#!/usr/bin/python3
"""PyTorch peer for `widerobust bench`: the identical network and the identical workloads.

Run with Debian's python3-torch (PyTorch 1.13, CPU) at its best: libopenblas0-pthread installed,
OPENBLAS_NUM_THREADS=1 (nested BLAS threads halve its speed) and torch.set_num_threads(<cores>).
Prints one JSON object with examples/s for forward, forward + input gradient, a PGD-20 evaluation
attack, one PGD-10 adversarial-training step (10 input-gradient passes + 1 parameter-gradient
pass + SGD update) and one TRADES step (TRADES' train_trades: 10 KL input-gradient passes from a
0.001-Gaussian start, then CE(x) + 6 * KL(p(x) || p(x')) with batch-mean KL, backward, SGD update).
--workloads selects a subset; the others are left out of the JSON. --parts adds the PGD-10 step's attack and
parameter pass timed apart (milliseconds, medians of 8 steps). mlp and smallcnn run on
Fashion-MNIST-shaped input [1, 28, 28]; wrn-D on CIFAR-shaped input [3, 32, 32] with TRADES'
WideResNet definition (models/wideresnet.py, no dropout).
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


class BasicBlock(nn.Module):
    """TRADES' models/wideresnet.py BasicBlock (pre-activation, dropRate 0)."""

    def __init__(self, in_planes, out_planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_planes, out_planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_planes, out_planes, 3, stride=1, padding=1, bias=False)
        self.equal_in_out = in_planes == out_planes
        self.conv_shortcut = None if self.equal_in_out else nn.Conv2d(in_planes, out_planes, 1, stride=stride,
                                                                       padding=0, bias=False)

    def forward(self, x):
        if not self.equal_in_out:
            x = self.relu1(self.bn1(x))
            out = x
        else:
            out = self.relu1(self.bn1(x))
        out = self.conv2(self.relu2(self.bn2(self.conv1(out))))
        return torch.add(x if self.equal_in_out else self.conv_shortcut(x), out)


class WideResNet(nn.Module):
    """TRADES' models/wideresnet.py WideResNet(depth, num_classes, widen_factor, dropRate=0)."""

    def __init__(self, depth=34, num_classes=10, widen_factor=10):
        super().__init__()
        ch = [16, round(16 * widen_factor), round(32 * widen_factor), round(64 * widen_factor)]
        n = (depth - 4) // 6
        self.conv1 = nn.Conv2d(3, ch[0], 3, stride=1, padding=1, bias=False)
        blocks = []
        for g, stride in zip(range(3), (1, 2, 2)):
            for i in range(n):
                blocks.append(BasicBlock(ch[g] if i == 0 else ch[g + 1], ch[g + 1], stride if i == 0 else 1))
        self.blocks = nn.Sequential(*blocks)
        self.bn1 = nn.BatchNorm2d(ch[3])
        self.relu = nn.ReLU(inplace=True)
        self.fc = nn.Linear(ch[3], num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.normal_(m.weight, 0, (2.0 / (m.kernel_size[0] * m.kernel_size[1] * m.out_channels)) ** 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.bias.data.zero_()

    def forward(self, x):
        out = self.relu(self.bn1(self.blocks(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(out, 1), 1))


def build(arch, width):
    """The network and its input shape for --arch (smallcnn, mlp, wrn-D)."""
    if arch == "smallcnn":
        return smallcnn(width), (1, 28, 28)
    if arch == "mlp":
        return mlp(width), (1, 28, 28)
    depth = int(arch.split("-")[1]) if "-" in arch else 34
    return WideResNet(depth, 10, width), (3, 32, 32)


def arch_name(text):
    if text in ("smallcnn", "mlp", "wrn") or (text.startswith("wrn-") and text[4:].isdigit()
                                              and (int(text[4:]) - 4) % 6 == 0 and int(text[4:]) >= 10):
        return text
    raise argparse.ArgumentTypeError(f"unknown arch '{text}'; choose smallcnn, mlp or wrn-D (D = 6n+4)")


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


def step_parts(attack, parameter_pass, steps=8, warmup=2):
    """Median milliseconds of a training step's attack and of its parameter pass (with the update), timed apart
    over `steps` steps after `warmup`."""
    times = {"attack": [], "parameter_pass": []}
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        xa = attack()
        t1 = time.perf_counter()
        parameter_pass(xa)
        t2 = time.perf_counter()
        if i >= warmup:
            times["attack"].append((t1 - t0) * 1e3)
            times["parameter_pass"].append((t2 - t1) * 1e3)
    return {k: round(sorted(v)[len(v) // 2], 1) for k, v in times.items()}


WORKLOADS = ("forward", "input_gradient", "pgd20_eval", "pgd10_train_step", "trades_train_step")


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
    ap.add_argument("--arch", default="smallcnn", type=arch_name)
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--workloads", type=workload_list, default=set(WORKLOADS),
                    help="comma-separated subset of " + ",".join(WORKLOADS) + " (default all)")
    ap.add_argument("--parts", action="store_true",
                    help="also time the PGD-10 step's attack and parameter pass apart (pgd10_train_step_parts_ms)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model, shape = build(args.arch, args.width)
    x = torch.rand(args.batch, *shape)
    y = torch.randint(0, 10, (args.batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = args.eps / 4

    model.eval()  # evaluation workloads use running statistics, as widerobust's inference form

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

    def pgd10_attack():
        model.eval()
        xa = x.clone()
        for _ in range(10):
            g = input_gradient(xa)
            xa = torch.min(torch.max(xa + step * g.sign(), x - args.eps), x + args.eps).clamp(0, 1)
        return xa

    def pgd10_parameter_pass(xa):
        model.train()
        opt.zero_grad()
        F.cross_entropy(model(xa), y).backward()
        opt.step()
        model.eval()

    def pgd10_train_step():
        pgd10_parameter_pass(pgd10_attack())

    def trades_train_step():
        model.eval()
        with torch.no_grad():
            p_clean = F.softmax(model(x), dim=1)
        xa = x + 0.001 * torch.randn_like(x)
        for _ in range(10):
            xa = xa.detach().requires_grad_(True)
            loss_kl = F.kl_div(F.log_softmax(model(xa), dim=1), p_clean, reduction="sum")
            g = torch.autograd.grad(loss_kl, xa)[0]
            xa = torch.min(torch.max(xa.detach() + step * g.sign(), x - args.eps), x + args.eps).clamp(0, 1)
        model.train()
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y) + 6.0 * F.kl_div(F.log_softmax(model(xa), dim=1),
                                                          F.softmax(logits, dim=1), reduction="batchmean")
        loss.backward()
        opt.step()
        model.eval()

    out = {
        "engine": "pytorch " + torch.__version__,
        "arch": args.arch, "width": args.width, "example_shape": list(shape), "batch": args.batch,
        "threads": torch.get_num_threads(),
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    for name, fn, warmup in (("forward", forward, 3), ("input_gradient", input_gradient, 3),
                             ("pgd20_eval", pgd20_eval, 1), ("pgd10_train_step", pgd10_train_step, 1),
                             ("trades_train_step", trades_train_step, 1)):
        if name in args.workloads:
            out[name + "_examples_per_s"] = timeit(fn, args.batch, args.seconds, warmup)
    if args.parts:
        out["pgd10_train_step_parts_ms"] = step_parts(pgd10_attack, pgd10_parameter_pass)
    out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out["machine"] = platform.processor() or platform.machine()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
