"""scipy peer of the time-to-accuracy section: scipy.integrate.solve_ivp(method='LSODA') on the
gradient flow of the same depth-L diagonal network (squared loss), the user's alternative to our
integrators. It stops when ‖β(t) − β_pred‖/‖β_pred‖ ≤ tol (a terminal event) or when the wall
budget is spent. One JSON request on stdin, one JSON answer on stdout.

Request: {"X": [[...]], "y": [...], "init": [[v_1...], ..., [v_L...]], "betaPred": [...],
          "tol": t, "rtol": r, "atol": a, "budgetS": s, "tMax": T}
Answer:  {"reached", "wallS", "time", "err", "nfev", "njev", "status", "scipy"}

LSODA differences the Jacobian itself (what a user passing only the gradient gets).
"""

import json
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp


class Budget(Exception):
    pass


def main():
    req = json.loads(sys.stdin.read())
    X = np.asarray(req["X"], dtype=np.float64)
    y = np.asarray(req["y"], dtype=np.float64)
    V0 = np.asarray(req["init"], dtype=np.float64)
    L, d = V0.shape
    bp = np.asarray(req["betaPred"], dtype=np.float64)
    nbp = np.linalg.norm(bp)
    tol = req["tol"]
    t0 = time.perf_counter()
    budget = req["budgetS"]
    state = {"t": 0.0, "err": float("nan"), "nfev": 0}

    def field(t, theta):
        state["nfev"] += 1
        if state["nfev"] % 64 == 0 and time.perf_counter() - t0 > budget:
            raise Budget()
        V = theta.reshape(L, d)
        beta = np.prod(V, axis=0)
        g = X.T @ (y - X @ beta)  # −∇_β 𝓛 for 𝓛 = ½‖y − Xβ‖²
        out = np.empty_like(V)
        for l in range(L):
            out[l] = g * np.prod(np.delete(V, l, axis=0), axis=0)
        return out.ravel()

    def close(t, theta):
        beta = np.prod(theta.reshape(L, d), axis=0)
        err = np.linalg.norm(beta - bp) / nbp
        state["t"], state["err"] = t, err
        return err - tol

    close.terminal = True
    close.direction = -1
    try:
        sol = solve_ivp(
            field,
            (0.0, req["tMax"]),
            V0.ravel(),
            method="LSODA",
            rtol=req["rtol"],
            atol=req["atol"],
            events=close,
        )
        reached = sol.status == 1
        status = "reached" if reached else f"scipy status {sol.status}: {sol.message}"
        njev = int(sol.njev)
        t_end = float(sol.t_events[0][0]) if reached else float(sol.t[-1])
        beta = np.prod((sol.y_events[0][0] if reached else sol.y[:, -1]).reshape(L, d), axis=0)
        err = float(np.linalg.norm(beta - bp) / nbp)
    except Budget:
        reached = False
        status = f"budget ({budget} s) spent"
        njev = None
        t_end = state["t"]
        err = state["err"]
    print(
        json.dumps(
            {
                "reached": bool(reached),
                "wallS": time.perf_counter() - t0,
                "time": t_end,
                "err": err,
                "nfev": state["nfev"],
                "njev": njev,
                "status": status,
                "scipy": scipy.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
