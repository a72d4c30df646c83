#!/usr/bin/env python3
"""NumPy float64 peer of tools/bench/kernels.mjs: the same kernels through NumPy's BLAS.

Reads one JSON request on stdin, writes one JSON answer on stdout:

  {"cells": [{"kernel": "gemv-pair" | "gram" | "mul", "m": M, "n": N, "reps": R, "seed": S}]}
      -> {"cells": [{..., "samples_us": [...]}]}
      gemv-pair: y = A @ x then g = A.T @ y (A is M x N); gram: (A * w) @ A.T (A is M x N);
      mul: a * b of length M * N. One sample = the mean of a batch of calls lasting ~2 ms.
"""
import json
import sys
import time

import numpy as np


def kernel(cell, rng):
    m, n = cell["m"], cell["n"]
    A = rng.standard_normal((m, n))
    if cell["kernel"] == "gemv-pair":
        x = rng.standard_normal(n)

        def f():
            y = A @ x
            return A.T @ y

        return f
    if cell["kernel"] == "gram":
        w = rng.random(n) + 0.1
        return lambda: (A * w) @ A.T
    b = rng.standard_normal(m * n)
    a = A.reshape(-1)
    return lambda: a * b


def measure(f, reps):
    for _ in range(3):
        f()
    t0 = time.perf_counter()
    f()
    one = max(time.perf_counter() - t0, 1e-7)
    inner = max(1, int(2e-3 / one))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            f()
        samples.append((time.perf_counter() - t0) / inner * 1e6)
    return samples


def main():
    req = json.load(sys.stdin)
    out = []
    for cell in req["cells"]:
        rng = np.random.default_rng(cell.get("seed", 0))
        out.append({**cell, "samples_us": measure(kernel(cell, rng), cell["reps"])})
    json.dump({"cells": out}, sys.stdout)


if __name__ == "__main__":
    main()
