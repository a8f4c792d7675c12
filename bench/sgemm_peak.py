#!/usr/bin/python3
"""Measures the machine's fp32 matrix-multiply peak (GFLOP/s) with a 2048x2048 SGEMM through PyTorch/OpenBLAS.
Run as: OPENBLAS_NUM_THREADS=<cores> /usr/bin/python3 bench/sgemm_peak.py"""
import os
import time

import torch

torch.set_num_threads(os.cpu_count())
n = 2048
a, b = torch.rand(n, n), torch.rand(n, n)
for _ in range(3):
    a @ b
best = 0.0
for _ in range(10):
    t = time.perf_counter()
    a @ b
    best = max(best, 2 * n ** 3 / (time.perf_counter() - t) / 1e9)
print(f"{best:.0f}")
