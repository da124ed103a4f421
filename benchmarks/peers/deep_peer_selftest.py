"""`deep_peer.py --self-test`: the structured deep formulas against dense Jacobians and m x m pseudo-inverses."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np

import deep_peer as dp
import ngd_peer


def explicit_output(x, Ws, A):
    """f(x) (length k) by plain loops over units."""
    m = A.shape[0]
    h = list(x)
    for l, W in enumerate(Ws):
        scale = 1.0 if l == 0 else math.sqrt(2.0 / m)
        h = [max(0.0, scale * sum(W[r, s] * h[s] for s in range(len(h)))) for r in range(m)]
    return np.array([sum(A[r, c] * h[r] for r in range(m)) / math.sqrt(m) for c in range(A.shape[1])])


def dense_jacobian(inputs, factors, k):
    """Rows (i, c); columns W^1 row-major, then W^2, ...: block entry Bk_(i,c)[r] * In_i[s]."""
    n = inputs[0].shape[0]
    blocks = [np.stack([np.outer(B[i * k + c], In[i]).reshape(-1) for i in range(n) for c in range(k)])
              for In, B in zip(inputs, factors)]
    return np.hstack(blocks)


def finite_difference_jacobian(p, h=1e-6):
    columns = []
    for l, W in enumerate(p.Ws):
        for e in range(W.size):
            plus = [V.copy() for V in p.Ws]
            minus = [V.copy() for V in p.Ws]
            plus[l].flat[e] += h
            minus[l].flat[e] -= h
            columns.append((dp.forward(p.X, plus, p.A)[0] - dp.forward(p.X, minus, p.A)[0]).reshape(-1) / (2 * h))
    return np.stack(columns, axis=1)


def explicit_kfac(p):
    """Dense per-layer factors A^l (dim x dim), S^l (m x m), their damping, and pinv products."""
    u, inputs, masks = dp.forward(p.X, p.Ws, p.A)
    factors = dp.backward_factors(p.Ws, p.A, masks)
    r = (u - p.Y).reshape(-1)
    new = []
    for W, In, B in zip(p.Ws, inputs, factors):
        A_in, S = In.T @ In, B.T @ B
        grad = sum(r[t] * np.outer(B[t], In[t // p.k]) for t in range(len(r)))
        gamma_a = gamma_s = 0.0
        if p.kfac_damping > 0:
            pi = math.sqrt((np.trace(A_in) / A_in.shape[0]) / (np.trace(S) / S.shape[0]))
            gamma_a, gamma_s = pi * math.sqrt(p.kfac_damping), math.sqrt(p.kfac_damping) / pi
        new.append(W - p.lr * np.linalg.pinv(S + gamma_s * np.eye(p.m)) @ grad
                   @ np.linalg.pinv(A_in + gamma_a * np.eye(A_in.shape[0])))
    return new


def self_test() -> int:
    passed = failed = 0

    def check(name, error, tol):
        nonlocal passed, failed
        ok = bool(error <= tol)
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {error:.3e} (tol {tol:.0e})")

    def gap(a, b):
        return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))

    # (n, d, m, L, k, damping, seed): n < d and n > d, k = 1 and 2, nk > m (singular BkBk^T), damped and not.
    # Widths leave G and every Bk Bk^T nonsingular (checked first), so the steps are unique.
    # (At tiny widths two examples can share a top-layer pattern, making Bk^L Bk^L^T singular.)
    cases = [(5, 4, 40, 2, 1, 0.0, 1), (6, 3, 40, 3, 2, 0.0, 2), (4, 6, 30, 3, 1, 0.1, 3), (8, 3, 40, 2, 1, 0.0, 4),
             (6, 5, 40, 2, 2, 0.05, 5), (5, 4, 30, 4, 1, 0.0, 6)]
    for n, d, m, depth, k, lam, seed in cases:
        p = dp.generate_deep_problem(n, d, m, depth, k, lr=0.7, kfac_damping=lam, seed=seed)
        tag = f"n={n} d={d} m={m} L={depth} k={k} lam={lam}"
        u, inputs, masks = dp.forward(p.X, p.Ws, p.A)
        loops = np.stack([explicit_output(p.X[i], p.Ws, p.A) for i in range(n)])
        check(f"{tag} forward vs loops", float(np.max(np.abs(u - loops))), 1e-12)
        factors = dp.backward_factors(p.Ws, p.A, masks)
        J = dense_jacobian(inputs, factors, k)
        smallest = min([np.linalg.eigvalsh(J @ J.T)[0]] + [np.linalg.eigvalsh(B @ B.T)[0] for B in factors])
        check(f"{tag} G and each Bk Bk^T nonsingular (-smallest eigenvalue)", -smallest, -1e-6)
        check(f"{tag} dense J vs finite differences", float(np.max(np.abs(J - finite_difference_jacobian(p)))),
              1e-7)
        check(f"{tag} structured Gram vs J J^T", float(np.max(np.abs(dp.gram(inputs, factors, k) - J @ J.T))),
              1e-12)
        v = np.random.default_rng(seed + 50).standard_normal(n * k)
        check(f"{tag} J^T v structured vs dense",
              float(np.max(np.abs(np.concatenate([S.reshape(-1) for S in dp.transpose_times(inputs, factors, v)])
                                  - J.T @ v))), 1e-12)
        r = (u - p.Y).reshape(-1)
        theta = np.concatenate([W.reshape(-1) for W in p.Ws])
        W_ngd, _ = dp.ngd_step(p)
        flat_ngd = np.concatenate([W.reshape(-1) for W in W_ngd])
        check(f"{tag} NGD step vs dense theta - lr pinv(J) r",
              float(np.max(np.abs(flat_ngd - (theta - p.lr * np.linalg.pinv(J) @ r)))), 1e-9)
        check(f"{tag} NGD output-space step == -lr r", float(np.max(np.abs(J @ (flat_ngd - theta) + p.lr * r))),
              1e-9)
        W_gd, _ = dp.gd_step(p)
        check(f"{tag} GD step vs dense J^T r",
              float(np.max(np.abs(np.concatenate([W.reshape(-1) for W in W_gd]) - (theta - p.lr * J.T @ r)))),
              1e-12)
        W_kfac, _ = dp.kfac_step(p)
        check(f"{tag} K-FAC step vs dense pinv(S + gS) grad pinv(A + gA)", gap(W_kfac, explicit_kfac(p)), 1e-8)

    # Depth 1 is ngd_peer's two-layer step, on the same data.
    for n, d, m, k, seed in [(7, 5, 60, 1, 3), (12, 3, 150, 2, 7)]:
        two = ngd_peer.generate_problem(n, d, m, k, lr=0.7, seed=seed)
        deep = dp.DeepProblem(two.X, two.Y, [two.W], two.A, two.lr, 0.0, seed, "depth 1")
        tag = f"depth 1 n={n} d={d} m={m} k={k}"
        for name, mine, theirs in [("NGD", dp.ngd_step, ngd_peer.ngd_step), ("GD", dp.gd_step, ngd_peer.gd_step),
                                   ("K-FAC", dp.kfac_step, ngd_peer.kfac_step)]:
            check(f"{tag} {name} step == ngd_peer's",
                  float(np.max(np.abs(mine(deep)[0][0] - theirs(two.X, two.Y, two.W, two.A, two.lr)[0]))), 1e-12)

    with tempfile.TemporaryDirectory() as tmp:
        p = dp.generate_deep_problem(6, 4, 9, 3, 2, lr=0.3, kfac_damping=0.01, seed=11)
        dp.save_deep_problem(p, tmp)
        q = dp.load_deep_problem(tmp)
        same = (all(np.array_equal(a, b) for a, b in zip(p.Ws, q.Ws)) and len(q.Ws) == 3
                and all(np.array_equal(getattr(p, f), getattr(q, f)) for f in "XYA")
                and (q.lr, q.kfac_damping) == (p.lr, p.kfac_damping))
        check("depth-3 format round trip (bitwise)", 0.0 if same else 1.0, 0.0)
        (Path(tmp) / "W3.bin").write_bytes(b"\0" * 8)
        try:
            dp.load_deep_problem(tmp)
            check("truncated W3.bin rejected", 1.0, 0.0)
        except ngd_peer.FormatError:
            check("truncated W3.bin rejected", 0.0, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        two = ngd_peer.generate_problem(5, 3, 8, 1, seed=2)
        ngd_peer.save_problem(two, tmp)
        q = dp.load_deep_problem(tmp)
        check("two-layer directory (W.bin, no depth key) loads as depth 1",
              0.0 if q.depth == 1 and np.array_equal(q.Ws[0], two.W) and q.kfac_damping == 0.0 else 1.0, 0.0)

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
