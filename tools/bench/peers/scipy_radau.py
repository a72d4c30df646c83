"""scipy peer of the classification section: scipy.integrate.solve_ivp(method='Radau') on the
same problem as tools/bench/lib/sections.mjs (diagonal network, exponential loss, the
loss-normalized time dΘ/dσ = −‖Θ‖^{2−L} ∇ log 𝓛), stopped by a terminal event at each margin
min_i y_i f(x_i). One JSON request on stdin, one JSON answer on stdout.

Request: {"mode": "radau", "X": [[...]], "y": [...], "init": [v_1..., v_L...], "depth": L,
          "rtol": r, "atol": a, "margins": [...]}
   or    {"mode": "probe"}.
Answer (radau): {"rows": [{"target", "reached", "margin", "wallS", "nfev", "njev", "nlu",
                 "steps", "status"}], "scipy": version}.

For L = 2 the Jacobian is analytic (scipy counts each call in njev, as our radau5 counts its
exact Jacobians); for other depths scipy differences the field (still one njev per Jacobian).
"""

import json
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp
from scipy.special import logsumexp, softmax


def make_field(X, y, L, d):
    Y = y[:, None] * X  # rows y_i x_i

    def unpack(theta):
        return theta.reshape(L, d)

    def beta_of(V):
        return np.prod(V, axis=0)

    def field(_t, theta):
        V = unpack(theta)
        m = Y @ beta_of(V)  # y_i f(x_i)
        w = softmax(-m)  # weights of ∇ log 𝓛 (stable at any margin)
        u = Y.T @ w  # Σ_i w_i y_i x_i
        grads = []
        for l in range(L):
            others = np.prod(np.delete(V, l, axis=0), axis=0) if L > 1 else np.ones(d)
            grads.append(u * others)  # −∂ log 𝓛/∂v_l
        g = np.concatenate(grads)
        if L != 2:
            g *= np.linalg.norm(theta) ** (2 - L)
        return g

    def jac(_t, theta):
        # L = 2: F = Σ_i w_i ∇m_i with ∇m_i = (Y_i ⊙ v2, Y_i ⊙ v1);
        # ∂F/∂Θ = Σ_i w_i ∇²m_i − Σ_i w_i ∇m_i ∇m_iᵀ + F Fᵀ
        V = unpack(theta)
        v1, v2 = V[0], V[1]
        m = Y @ (v1 * v2)
        w = softmax(-m)
        G = np.concatenate([Y * v2, Y * v1], axis=1)  # rows ∇m_i
        F = G.T @ w
        J = -(G.T * w) @ G + np.outer(F, F)
        cross = np.diag(Y.T @ w)  # Σ_i w_i ∂²m_i/∂v1∂v2 = diag(Σ w_i Y_i)
        J[:d, d:] += cross
        J[d:, :d] += cross
        return J

    def margin(theta):
        return float(np.min(Y @ beta_of(unpack(theta))))

    return field, (jac if L == 2 else None), margin


def radau(req):
    X = np.asarray(req["X"], dtype=np.float64)
    y = np.asarray(req["y"], dtype=np.float64)
    L = int(req["depth"])
    d = X.shape[1]
    theta = np.asarray(req["init"], dtype=np.float64)
    field, jac, margin = make_field(X, y, L, d)
    rows = []
    t = 0.0
    totals = {"nfev": 0, "njev": 0, "nlu": 0, "steps": 0}
    t0 = time.perf_counter()
    stopped = False
    for target in req["margins"]:
        if stopped:
            rows.append({"target": target, "reached": False, "status": "not attempted"})
            continue

        def event(_t, th, target=target):
            return margin(th) - target

        event.terminal = True
        event.direction = 1
        # the loss-normalized time makes log‖Θ‖ grow about linearly: a generous horizon, the event stops it
        sol = solve_ivp(
            field,
            (t, t + 1e7),
            theta,
            method="Radau",
            jac=jac,
            rtol=req["rtol"],
            atol=req["atol"],
            events=event,
        )
        for k in totals:
            totals[k] += int(getattr(sol, k, 0) if k != "steps" else len(sol.t) - 1)
        reached = sol.status == 1 and len(sol.t_events[0]) > 0
        if reached:
            theta = sol.y_events[0][0]
            t = float(sol.t_events[0][0])
        else:
            theta = sol.y[:, -1]
            t = float(sol.t[-1])
            stopped = True
        wall = time.perf_counter() - t0
        rows.append(
            {
                "target": target,
                "reached": bool(reached),
                "margin": margin(theta),
                "wallS": wall,
                **totals,
                "status": "reached" if reached else f"scipy status {sol.status}: {sol.message}",
            }
        )
    return {"rows": rows, "scipy": scipy.__version__}


def main():
    req = json.loads(sys.stdin.read())
    if req.get("mode") == "probe":
        print(json.dumps({"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}))
        return
    if req.get("mode") == "radau":
        print(json.dumps(radau(req)))
        return
    raise SystemExit(f"unknown mode {req.get('mode')!r}")


if __name__ == "__main__":
    main()
