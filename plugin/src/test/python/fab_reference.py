#!/usr/bin/python3
"""PyTorch reference for FAB-T (Croce & Hein, "Minimally distorted adversarial examples with a fast adaptive
boundary attack", ICML 2020), written from the paper, as an outside oracle for widerobust's Fab attack.

Runs FAB-T (L-inf or L2; targets ranked 2..n_target_classes+1 by the clean logits; one restart from the clean
point, so the run is deterministic; alpha_max 0.1, eta 1.05, beta 0.9) on the first N examples of a fixture in
../shared/fixtures/pytorch and writes, per example, whether it stays robust at eps and the smallest adversarial
norm found. The ONNX graph (Flatten, Gemm, Relu, Tanh) is rebuilt in PyTorch from its initializers.

Usage: /usr/bin/python3 fab_reference.py FIXTURE_DIR OUT.json [--n 100] [--eps 0.03] [--norm linf] [--iters 100]
(Debian's python3-torch and python3-onnx.)
"""
import argparse
import json

import numpy as np
import onnx
import onnx.numpy_helper
import torch


def load_model(path):
    """A callable for a chain of Flatten / Gemm / Relu / Tanh nodes, in float32."""
    m = onnx.load(path)
    init = {i.name: torch.from_numpy(onnx.numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
    nodes = list(m.graph.node)

    def f(x):
        env = {m.graph.input[0].name: x}
        for n in nodes:
            a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
            ins = [env[i] if i in env else init[i] for i in n.input]
            if n.op_type == 'Flatten':
                out = ins[0].reshape(ins[0].shape[0], -1)
            elif n.op_type == 'Gemm':
                w = ins[1].t() if a.get('transB', 0) else ins[1]
                out = a.get('alpha', 1.0) * ins[0] @ w + a.get('beta', 1.0) * ins[2]
            elif n.op_type == 'Relu':
                out = torch.relu(ins[0])
            elif n.op_type == 'Tanh':
                out = torch.tanh(ins[0])
            else:
                raise ValueError('op ' + n.op_type + ' not supported by this reference')
            env[n.output[0]] = out
        return env[m.graph.output[0].name]
    return f


def project(t, w, c, norm, lo=0.0, hi=1.0):
    """Minimal-norm d with <w, d> = c and lo <= t + d <= hi, rows of [B, D] (L-inf or L2), from the dual: every
    coordinate moves towards sign(c * w_i) by min(s * m_i, room_i) (m_i = 1 for L-inf, |w_i| for L2) and the
    smallest s with sum_i a_i min(s, r_i) = |c| is found from sorted breakpoints with cumulative sums; an
    unreachable hyperplane gives every coordinate at its box face."""
    sigma = torch.sign(c).unsqueeze(1)
    ws = w * sigma
    target = c.abs().unsqueeze(1)
    room = torch.where(ws > 0, hi - t, t - lo).clamp(min=0)
    aw = ws.abs()
    if norm == 'linf':
        a, r, m = aw, room, torch.ones_like(aw)
    else:
        a, r, m = aw ** 2, room / aw.clamp(min=1e-30), aw
    big = torch.full_like(r, float('inf'))
    r = torch.where(aw > 0, r, big)
    a = torch.where(aw > 0, a, torch.zeros_like(a))
    rs, order = torch.sort(r, dim=1)
    as_ = a.gather(1, order)
    ar = torch.where(torch.isinf(rs), torch.zeros_like(rs), as_ * rs)
    sat_before = torch.cumsum(ar, dim=1) - ar            # sum_{j<k} a_j r_j
    free_from = torch.flip(torch.cumsum(torch.flip(as_, [1]), 1), [1])  # sum_{j>=k} a_j
    h = sat_before + torch.where(torch.isinf(rs), torch.full_like(rs, float('inf')), rs * free_from)
    h = torch.where(free_from > 0, h, sat_before)
    reach = h >= target
    has = reach.any(dim=1, keepdim=True)
    k = torch.argmax(reach.to(torch.int64), dim=1, keepdim=True)
    s = (target - sat_before.gather(1, k)) / free_from.gather(1, k).clamp(min=1e-30)
    s = torch.where(has, s, torch.full_like(s, float('inf')))
    mag = torch.minimum(s * m, room)
    d = torch.sign(ws) * mag
    d = torch.where(aw > 0, d, torch.zeros_like(d))
    return torch.where(target > 0, d, torch.zeros_like(d))


def dist(v, norm):
    return v.abs().amax(1) if norm == 'linf' else v.pow(2).sum(1).sqrt()


def fab_t_run(f, x0, y, target, norm, iters, alpha_max=0.1, eta=1.05, beta=0.9):
    """One FAB-T run from the clean points; returns the best adversarial points and their norms (inf if none)."""
    x1 = x0.clone()
    best = x0.clone()
    best_norm = torch.full((x0.shape[0],), float('inf'), dtype=torch.float64)
    rows = torch.arange(x0.shape[0])
    for _ in range(iters):
        xg = x1.clone().requires_grad_(True)
        z = f(xg)
        fs = z[rows, target] - z[rows, y]
        w, = torch.autograd.grad(fs.sum(), xg)
        fs = fs.detach()
        with torch.no_grad():
            d1 = project(x1, w, -fs, norm)
            c2 = -fs - ((w * x0).sum(1) - (w * x1).sum(1))
            d2 = project(x0, w, c2, norm)
            a1 = dist(d1, norm).clamp(min=1e-8)
            a2 = dist(d2, norm).clamp(min=1e-8)
            alpha = (a1 / (a1 + a2)).clamp(0, alpha_max).unsqueeze(1)
            x1 = ((1 - alpha) * (x1 + eta * d1) + alpha * (x0 + eta * d2)).clamp(0, 1)
            adv = f(x1).argmax(1) != y
            nrm = dist(x1 - x0, norm).double()
            better = adv & (nrm < best_norm)
            best[better] = x1[better]
            best_norm[better] = nrm[better]
            x1[adv] = x0[adv] + (x1[adv] - x0[adv]) * beta
    return best, best_norm


def main():
    p = argparse.ArgumentParser()
    p.add_argument('fixture')
    p.add_argument('out')
    p.add_argument('--n', type=int, default=100)
    p.add_argument('--eps', type=float, default=0.03)
    p.add_argument('--norm', default='linf', choices=['linf', 'l2'])
    p.add_argument('--iters', type=int, default=100)
    p.add_argument('--targets', type=int, default=9)
    a = p.parse_args()
    torch.set_grad_enabled(True)
    f = load_model(a.fixture + '/model.onnx')
    x = torch.from_numpy(np.load(a.fixture + '/x.npy')[:a.n]).reshape(a.n, -1)
    y = torch.from_numpy(np.load(a.fixture + '/y.npy')[:a.n])
    with torch.no_grad():
        clean = f(x)
    pred = clean.argmax(1)
    ranking = torch.argsort(clean, dim=1, descending=True)
    robust = pred == y
    norms = torch.full((a.n,), float('inf'), dtype=torch.float64)
    for rank in range(2, 2 + min(a.targets, clean.shape[1] - 1)):
        idx = torch.nonzero(robust).squeeze(1)
        if idx.numel() == 0:
            break
        best, bn = fab_t_run(f, x[idx], y[idx], ranking[idx, rank - 1], a.norm, a.iters)
        norms[idx] = torch.minimum(norms[idx], bn)
        robust[idx] = robust[idx] & ~(bn <= a.eps)
    out = {
        'attack': 'fab-t', 'paper': 'Croce & Hein, ICML 2020', 'fixture': a.fixture.rstrip('/').split('/')[-1],
        'n': a.n, 'eps': a.eps, 'norm': a.norm, 'iterations': a.iters, 'target_classes': a.targets,
        'restarts': 1, 'alpha_max': 0.1, 'eta': 1.05, 'beta': 0.9, 'torch': torch.__version__,
        'natural_accuracy': float((pred == y).double().mean()),
        'robust_accuracy': float(robust.double().mean()),
        'robust': [int(v) for v in robust.tolist()],
        'min_adversarial_norm': [None if np.isinf(v) else round(v, 6) for v in norms.tolist()],
    }
    with open(a.out, 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    print('natural %.4f, FAB-T robust %.4f at eps %g (%s)' % (out['natural_accuracy'], out['robust_accuracy'],
                                                            a.eps, a.norm))


if __name__ == '__main__':
    main()
