#!/usr/bin/env python3
"""NumPy float64 peer of tools/bench/run.mjs: the fixed-step gradient descent a researcher
would write for linear diagonal, fully-connected and circular convolutional networks.

Reads one JSON request on stdin and writes one JSON answer on stdout:

  {"mode": "probe"}
      -> {"python": "3.x", "numpy": "2.x", "blas": "..."}
  {"mode": "throughput", "cells": [{"arch", "L", "n", "d", "hidden", "reps", "warmup",
                                     "budget_s", "seed"}]}
      -> {"cells": [{..., "samples_us": [...]} or {..., "skipped": "reason"}]}
      one sample = one gradient evaluation (forward pass, residual, every layer's gradient),
      the same work as one field evaluation of the TypeScript backends.
  {"mode": "gd", "X": [[...]], "y": [...], "init": [[...], ...], "step": h,
   "beta_pred": [...], "tol": 1e-6, "max_steps": N, "max_seconds": s, "check_every": k}
      -> {"reached": bool, "steps": ..., "seconds": ..., "error": ..., "trace": [[t, s, err]]}
      gradient descent v_l <- v_l + h * (-dL/dv_l) on L = 1/2 ||X beta - y||^2 of a diagonal
      network beta = v_1 * ... * v_L, stopping when ||beta - beta_pred|| / ||beta_pred|| <= tol.

Squared loss with sum over samples (not mean), exactly the loss of @implicit-bias/flow.
"""
import json
import sys
import time

import numpy as np


def diag_grads(X, y, vs):
    beta = np.prod(vs, axis=0)
    r = y - X @ beta  # -dL/df
    u = X.T @ r
    L = len(vs)
    out = []
    for l in range(L):
        p = u.copy()
        for m in range(L):
            if m != l:
                p *= vs[m]
        out.append(p)
    return out


def fc_grads(X, y, Ws):
    # f = X W_1 ... W_{L-1} w_L; Ws[l] is (d_l, d_{l+1}), the last is a vector (d_L,)
    acts = [X]
    for W in Ws:
        acts.append(acts[-1] @ W)
    r = y - acts[-1]  # (n,)
    out = [None] * len(Ws)
    back = r  # -dL/d(acts[l+1])
    for l in range(len(Ws) - 1, -1, -1):
        if back.ndim == 1:
            out[l] = acts[l].T @ back
            back = np.outer(back, Ws[l])
        else:
            out[l] = acts[l].T @ back
            back = back @ Ws[l].T
    return out


def conv_grads(X, y, vs):
    # full-length circular filters: beta = v_1 * ... * v_L (circular convolution),
    # grad_l = u (cross-correlated with) the convolution of the other layers, done with FFTs
    F = [np.fft.rfft(v) for v in vs]
    d = X.shape[1]
    beta = np.fft.irfft(np.prod(F, axis=0), n=d)
    r = y - X @ beta
    U = np.fft.rfft(X.T @ r)
    out = []
    for l in range(len(vs)):
        P = np.ones_like(F[0])
        for m in range(len(vs)):
            if m != l:
                P = P * F[m]
        out.append(np.fft.irfft(U * np.conj(P), n=d))
    return out


def make_params(arch, L, d, hidden, rng):
    if arch == "diagonal":
        return [rng.standard_normal(d) * 0.5 for _ in range(L)]
    if arch == "convolutional":
        return [rng.standard_normal(d) / np.sqrt(d) for _ in range(L)]
    widths = [d] + [hidden] * (L - 1)
    Ws = [rng.standard_normal((widths[l], widths[l + 1])) / np.sqrt(widths[l]) for l in range(L - 1)]
    Ws.append(rng.standard_normal(widths[-1]) / np.sqrt(widths[-1]))
    return Ws


GRADS = {"diagonal": diag_grads, "fully-connected": fc_grads, "convolutional": conv_grads}


def throughput(req):
    out = []
    for cell in req["cells"]:
        rng = np.random.default_rng(cell.get("seed", 0))
        n, d, L = cell["n"], cell["d"], cell["L"]
        X = rng.standard_normal((n, d))
        y = rng.standard_normal(n)
        params = make_params(cell["arch"], L, d, cell.get("hidden", 16), rng)
        g = GRADS[cell["arch"]]
        t0 = time.perf_counter()
        g(X, y, params)
        first = time.perf_counter() - t0
        reps = cell["reps"]
        if first * reps > cell["budget_s"]:
            reps = int(cell["budget_s"] / max(first, 1e-9))
        if reps < 3:
            out.append({**cell, "skipped": f"one gradient takes {first:.2f} s; 3 repetitions exceed the {cell['budget_s']} s budget"})
            continue
        for _ in range(cell.get("warmup", 2)):
            g(X, y, params)
        samples = []
        for _ in range(reps):
            t0 = time.perf_counter()
            g(X, y, params)
            samples.append((time.perf_counter() - t0) * 1e6)
        out.append({**cell, "reps": reps, "samples_us": samples})
    return {"cells": out}


def gd(req):
    X = np.asarray(req["X"], dtype=np.float64)
    y = np.asarray(req["y"], dtype=np.float64)
    vs = np.asarray(req["init"], dtype=np.float64)  # (L, d)
    h = float(req["step"])
    bp = np.asarray(req["beta_pred"], dtype=np.float64)
    bn = np.linalg.norm(bp)
    tol = float(req.get("tol", 1e-6))
    max_steps = int(req["max_steps"])
    max_s = float(req["max_seconds"])
    every = int(req.get("check_every", 10))
    L = vs.shape[0]
    trace = []
    next_trace = 1
    t0 = time.perf_counter()
    steps = 0
    err = np.linalg.norm(np.prod(vs, axis=0) - bp) / bn
    reached = False
    while steps < max_steps:
        # the loop a researcher writes: residual, back-projection, one update per layer
        for _ in range(every):
            beta = np.prod(vs, axis=0)
            u = X.T @ (y - X @ beta)
            g = np.empty_like(vs)
            for l in range(L):
                p = u.copy()
                for m in range(L):
                    if m != l:
                        p *= vs[m]
                g[l] = p
            vs += h * g
        steps += every
        err = float(np.linalg.norm(np.prod(vs, axis=0) - bp) / bn)
        el = time.perf_counter() - t0
        if steps >= next_trace:
            trace.append([steps * h, el, err])
            next_trace = max(next_trace + 1, int(next_trace * 1.2))
        if not np.isfinite(err):
            break
        if err <= tol:
            reached = True
            break
        if el > max_s:
            break
    el = time.perf_counter() - t0
    trace.append([steps * h, el, err])
    return {"reached": reached, "steps": steps, "time": steps * h, "seconds": el, "error": err, "trace": trace}


def main():
    req = json.load(sys.stdin)
    mode = req.get("mode")
    if mode == "probe":
        try:
            cfg = np.show_config(mode="dicts")
            blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown")
        except Exception:  # older NumPy
            blas = "unknown"
        ans = {"python": sys.version.split()[0], "numpy": np.__version__, "blas": blas}
    elif mode == "throughput":
        ans = throughput(req)
    elif mode == "gd":
        ans = gd(req)
    else:
        print(f"numpy_gd.py: unknown mode {mode!r}; use probe, throughput or gd", file=sys.stderr)
        sys.exit(2)
    json.dump(ans, sys.stdout)


if __name__ == "__main__":
    main()
