#!/usr/bin/env python3
"""numpy/scipy reference ("peer") for `ngd`: one exact NGD, GD and K-FAC step on the two-layer ReLU net.

Model (Zhang, Martens & Grosse 2019; Du et al. 2019), only W trained, A fixed:
    u = (1/sqrt(m)) ReLU(X W^T) A        X: n x d (unit rows), W: m x d, A: m x k (entries +-1), u: n x k
    L = 1/2 ||u - Y||_F^2,   D = 1{X W^T >= 0}   (ReLU'(0) = 1)

Everything uses the closed-form structure (no autodiff, no n*k x m*d Jacobian, no m x m matrix):
    E     = rows (i, c) -> D_i o A[:, c]                      (n*k x m; for k = 1, E = D diag(a))
    K     = E E^T / m = G_m^T G_m                             (n*k x n*k; g_(i,c) = A[:, c] o D_i / sqrt(m))
    Gram  G = (X X^T  (x)  1_kxk) o K                         (the k = 1 case is (X X^T) o (D_a D_a^T) / m)
    J^T V = (1/sqrt(m)) ((V A^T) o D)^T X                     (m x d, for V n x k)
    NGD   dW = -lr J^T G^{-1} r,  r = vec(u - Y)  (Cholesky)
    GD    dW = -lr J^T r
    K-FAC dW = -lr S^+ grad_W L A_in^+ with summed factors A_in = X^T X, S = G_m G_m^T, computed as
          -lr (1/sqrt(m)) E^T K^{-1} (diag(r) Q_rep),  Q = X (X^T X)^+  (d x d solve if n >= d, else
          Q = (X X^T)^{-1} X, an n x n solve); Q_rep repeats each row of Q k times.
Vectors over (example, output) use the row-major order of u: index i*k + c.

Run `--self-test` to check every structured formula against explicit Jacobians / pinv on tiny sizes.
See README.md beside this file for the exchange format and the timing protocol.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy
import scipy.linalg as sla

FORMAT = "f64le-rowmajor"
DTYPE = np.dtype("<f8")


# --------------------------------------------------------------------------------------------------
# Problem data and the exchange format
# --------------------------------------------------------------------------------------------------

@dataclass
class Problem:
    X: np.ndarray  # n x d
    Y: np.ndarray  # n x k
    W: np.ndarray  # m x d
    A: np.ndarray  # m x k
    lr: float
    seed: int | None
    source: str

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @property
    def m(self) -> int:
        return self.W.shape[0]

    @property
    def k(self) -> int:
        return self.A.shape[1]


class FormatError(Exception):
    pass


def _read_matrix(path: Path, rows: int, cols: int) -> np.ndarray:
    if not path.is_file():
        raise FormatError(f"{path}: missing")
    expected = rows * cols * DTYPE.itemsize
    size = path.stat().st_size
    if size != expected:
        raise FormatError(f"{path}: {size} bytes, expected {rows}x{cols} float64 = {expected} bytes")
    return np.fromfile(path, dtype=DTYPE).astype(np.float64, copy=False).reshape(rows, cols)


def load_problem(directory: str | Path) -> Problem:
    directory = Path(directory)
    meta_path = directory / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as error:
        raise FormatError(f"{meta_path}: {error}") from error
    for key in ("n", "d", "m", "k", "lr"):
        if key not in meta:
            raise FormatError(f"{meta_path}: missing field '{key}'")
    if meta.get("format", FORMAT) != FORMAT:
        raise FormatError(f"{meta_path}: format '{meta.get('format')}', expected '{FORMAT}'")
    n, d, m, k = (int(meta[key]) for key in ("n", "d", "m", "k"))
    if min(n, d, m, k) < 1:
        raise FormatError(f"{meta_path}: n, d, m, k must be positive")
    problem = Problem(
        X=_read_matrix(directory / "X.bin", n, d),
        Y=_read_matrix(directory / "Y.bin", n, k),
        W=_read_matrix(directory / "W.bin", m, d),
        A=_read_matrix(directory / "A.bin", m, k),
        lr=float(meta["lr"]),
        seed=meta.get("seed"),
        source=str(directory),
    )
    return problem


def save_problem(problem: Problem, directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, array in (("X", problem.X), ("Y", problem.Y), ("W", problem.W), ("A", problem.A)):
        np.ascontiguousarray(array, dtype=DTYPE).tofile(directory / f"{name}.bin")
    meta = {"n": problem.n, "d": problem.d, "m": problem.m, "k": problem.k, "lr": problem.lr,
            "seed": problem.seed, "format": FORMAT}
    (directory / "meta.json").write_text(json.dumps(meta, sort_keys=True) + "\n")


def generate_problem(n: int, d: int, m: int, k: int = 1, lr: float = 0.5, seed: int = 0) -> Problem:
    """numpy's own RNG (PCG64): for standalone timing only; the Swift generator differs."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y = rng.standard_normal((n, k))
    W = rng.standard_normal((m, d))  # nu = 1
    A = rng.choice(np.array([-1.0, 1.0]), size=(m, k))
    return Problem(X, Y, W, A, lr, seed, f"generated n={n} d={d} m={m} k={k} seed={seed}")


def input_checks(problem: Problem) -> dict:
    norms = np.linalg.norm(problem.X, axis=1)
    return {
        "max_abs_row_norm_minus_1": float(np.max(np.abs(norms - 1.0))),
        "a_entries_are_pm1": bool(np.all(np.abs(problem.A) == 1.0)),
    }


# --------------------------------------------------------------------------------------------------
# Structured kernels
# --------------------------------------------------------------------------------------------------

def forward(X, W, A):
    """Returns u (n x k) and the activation indicator D (n x m, bool)."""
    m = W.shape[0]
    Z = X @ W.T
    D = Z >= 0.0
    np.maximum(Z, 0.0, out=Z)
    u = Z @ A
    u *= 1.0 / math.sqrt(m)
    return u, D


def half_squared_error(u, Y) -> float:
    r = u - Y
    return 0.5 * float(np.vdot(r, r))


def signed_patterns(D, A) -> np.ndarray:
    """E with row i*k + c equal to D_i o A[:, c] (float64, n*k x m)."""
    n, m = D.shape
    k = A.shape[1]
    if k == 1:
        return D * A[:, 0]
    return (D[:, None, :] * A.T[None, :, :]).reshape(n * k, m)


def pattern_gram(E, m) -> np.ndarray:
    """K = E E^T / m (numpy dispatches E @ E.T to dsyrk)."""
    K = E @ E.T
    K *= 1.0 / m
    return K


def repeat_rows(M, k):
    return M if k == 1 else np.repeat(M, k, axis=0)


def gram_from_patterns(X, K, k) -> np.ndarray:
    """G = (X X^T (x) 1_kxk) o K; K is overwritten."""
    XXt = X @ X.T
    if k > 1:
        XXt = np.repeat(np.repeat(XXt, k, axis=0), k, axis=1)
    K *= XXt
    return K


def gram(X, W, A) -> np.ndarray:
    _, D = forward(X, W, A)
    return gram_from_patterns(X, pattern_gram(signed_patterns(D, A), W.shape[0]), A.shape[1])


def jacobian_transpose_times(X, D, A, V) -> np.ndarray:
    """J^T vec(V) as an m x d matrix: (1/sqrt(m)) ((V A^T) o D)^T X."""
    m = D.shape[1]
    B = V @ A.T
    B *= D
    out = B.T @ X
    out *= 1.0 / math.sqrt(m)
    return out


class Solve:
    """Cholesky solve of a symmetric PSD matrix; eigh pseudo-inverse if Cholesky fails (reported)."""

    def __init__(self, M):
        self.method = "cholesky"
        try:
            self.factor = sla.cho_factor(M, lower=True, overwrite_a=False, check_finite=False)
        except np.linalg.LinAlgError:
            self.method = "eigh-pinv"
            w, V = np.linalg.eigh(M)
            cutoff = max(w.max(), 0.0) * M.shape[0] * np.finfo(float).eps
            inv = np.where(w > cutoff, 1.0 / np.where(w > cutoff, w, 1.0), 0.0)
            self.pinv = (V * inv) @ V.T

    def __call__(self, B):
        if self.method == "cholesky":
            return sla.cho_solve(self.factor, B, check_finite=False)
        return self.pinv @ B


def input_pseudo_inverse_rows(X) -> tuple[np.ndarray, str]:
    """Q = X (X^T X)^+ (n x d) with a min(n, d)-sized solve: d x d if n >= d, else n x n."""
    n, d = X.shape
    if n >= d:
        solve = Solve(X.T @ X)
        return np.ascontiguousarray(solve(X.T).T), f"d x d {solve.method}"
    solve = Solve(X @ X.T)
    return solve(X), f"n x n {solve.method}"


def ngd_step(X, Y, W, A, lr):
    m, k = W.shape[0], A.shape[1]
    u, D = forward(X, W, A)
    r = u - Y
    G = gram_from_patterns(X, pattern_gram(signed_patterns(D, A), m), k)
    solve = Solve(G)
    alpha = solve(r.reshape(-1)).reshape(r.shape)
    dW = jacobian_transpose_times(X, D, A, alpha)
    return W - lr * dW, {"ngd_solver": solve.method}


def gd_step(X, Y, W, A, lr):
    u, D = forward(X, W, A)
    return W - lr * jacobian_transpose_times(X, D, A, u - Y), {}


def kfac_step(X, Y, W, A, lr):
    m, k = W.shape[0], A.shape[1]
    u, D = forward(X, W, A)
    r = (u - Y).reshape(-1)
    E = signed_patterns(D, A)
    solve = Solve(pattern_gram(E, m))
    Q, q_method = input_pseudo_inverse_rows(X)
    R = repeat_rows(Q, k) * r[:, None]          # diag(r) Q_rep, n*k x d
    Gamma = solve(R)                             # K^{-1} diag(r) Q_rep
    dW = E.T @ Gamma
    dW *= lr / math.sqrt(m)
    return W - dW, {"kfac_pattern_solver": solve.method, "kfac_input_solver": q_method}


def gram_spectrum(G) -> dict:
    w = np.linalg.eigvalsh(G)
    return {"gram_lambda_min": float(w[0]), "gram_lambda_max": float(w[-1]),
            "gram_condition": float(w[-1] / w[0]) if w[0] > 0 else float("inf")}


# --------------------------------------------------------------------------------------------------
# Environment and timing
# --------------------------------------------------------------------------------------------------

def cpu_info() -> dict:
    info = {"model_name": platform.processor() or "unknown", "flags_avx2": False, "flags_avx512f": False}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return info
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and "model_name_set" not in info:
            info["model_name"], info["model_name_set"] = value, True
        elif key in ("vendor_id", "cpu family", "model", "stepping") and key.replace(" ", "_") not in info:
            info[key.replace(" ", "_")] = value
        elif key == "flags" and "flags_set" not in info:
            flags = set(value.split())
            info["flags_avx2"], info["flags_avx512f"], info["flags_set"] = "avx2" in flags, "avx512f" in flags, True
    info.pop("model_name_set", None)
    info.pop("flags_set", None)
    info["logical_cpus"] = os.cpu_count()
    return info


def blas_info() -> dict:
    """numpy's BLAS (used by every matrix product here) and scipy's (used by cho_factor / cho_solve).

    numpy and scipy wheels each bundle their own OpenBLAS; both read OPENBLAS_NUM_THREADS at load time."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import io
        import contextlib
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            np.show_config()
        return {"source": "numpy.show_config (threadpoolctl not installed)", "show_config": buffer.getvalue()}

    def describe(pool):
        return {"library": pool.get("internal_api"), "version": pool.get("version"),
                "core": pool.get("architecture"), "num_threads": pool.get("num_threads"),
                "threading_layer": pool.get("threading_layer"), "filepath": pool.get("filepath")}

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    numpy_pools = [p for p in pools if "numpy" in (p.get("filepath") or "")]
    scipy_pools = [p for p in pools if "scipy" in (p.get("filepath") or "") and p not in numpy_pools]
    if not pools:
        return {"source": "threadpoolctl", "error": "no BLAS pool found"}
    info = {"source": "threadpoolctl", **describe(numpy_pools[0] if numpy_pools else pools[0])}
    if scipy_pools:
        info["scipy_lapack"] = describe(scipy_pools[0])
    return info


def environment() -> dict:
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": blas_info(),
        "cpu": cpu_info(),
        "env": {key: os.environ.get(key) for key in
                ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OPENBLAS_VERBOSE")},
        "load_average": list(os.getloadavg()),
    }


def time_op(fn, repeats: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    # process_time: user + system CPU of all threads; on a loaded machine it is steadier than wall time.
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "cpu_median_ms": statistics.median(cpu), "repeats": repeats, "warmup": warmup, "all_ms": times}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def r17(x: float) -> str:
    return format(x, ".17g")


def benchmark(problem: Problem, repeats: int, warmup: int, spectrum: bool) -> dict:
    X, Y, W, A, lr = problem.X, problem.Y, problem.W, problem.A, problem.lr
    n, d, m, k = problem.n, problem.d, problem.m, problem.k
    load_start = list(os.getloadavg())

    # Values (untimed), each step from the same starting W.
    u0, _ = forward(X, W, A)
    loss0 = half_squared_error(u0, Y)
    W_ngd, info_ngd = ngd_step(X, Y, W, A, lr)
    W_gd, _ = gd_step(X, Y, W, A, lr)
    W_kfac, info_kfac = kfac_step(X, Y, W, A, lr)
    losses = {"loss": loss0,
              "ngd_step_loss": half_squared_error(forward(X, W_ngd, A)[0], Y),
              "gd_step_loss": half_squared_error(forward(X, W_gd, A)[0], Y),
              "kfac_step_loss": half_squared_error(forward(X, W_kfac, A)[0], Y)}
    del W_ngd, W_gd, W_kfac

    timings = {
        "forward": time_op(lambda: half_squared_error(forward(X, W, A)[0], Y), repeats, warmup),
        "gram": time_op(lambda: gram(X, W, A), repeats, warmup),
        "ngd_step": time_op(lambda: ngd_step(X, Y, W, A, lr), repeats, warmup),
        "gd_step": time_op(lambda: gd_step(X, Y, W, A, lr), repeats, warmup),
        "kfac_step": time_op(lambda: kfac_step(X, Y, W, A, lr), repeats, warmup),
    }
    # The comparable GEMM: the forward product X (n x d) times W^T (d x m), 2ndm flops.
    dgemm = time_op(lambda: X @ W.T, repeats, warmup)
    flops = 2.0 * n * d * m
    timings["dgemm"] = dgemm

    result = {
        "n": n, "d": d, "m": m, "k": k, "lr": lr, "seed": problem.seed, "source": problem.source,
        "forward_ms": timings["forward"]["median_ms"],
        "gram_ms": timings["gram"]["median_ms"],
        "ngd_step_ms": timings["ngd_step"]["median_ms"],
        "gd_step_ms": timings["gd_step"]["median_ms"],
        "kfac_step_ms": timings["kfac_step"]["median_ms"],
        "dgemm_shape": f"({n}x{d}) @ ({d}x{m})",
        "dgemm_gflops": flops / dgemm["median_ms"] / 1e6,
        "dgemm_gflops_best": flops / dgemm["min_ms"] / 1e6,
        "timings": timings,
        "blas_core": blas_info().get("core"),
        "peak_rss_mb": peak_rss_mb(),
        "input_checks": input_checks(problem),
        **info_ngd, **info_kfac,
        **losses,
        "losses_17g": {key: r17(value) for key, value in losses.items()},
    }
    if spectrum:
        result.update(gram_spectrum(gram(X, W, A)))
    result["peak_rss_mb"] = peak_rss_mb()
    # Other jobs on the machine make timings noisy; the 1-minute load average brackets each size.
    result["load_average_start"], result["load_average_end"] = load_start, list(os.getloadavg())
    return result


# --------------------------------------------------------------------------------------------------
# Self-test: structured formulas against explicit small-size computations
# --------------------------------------------------------------------------------------------------

def explicit_jacobian(X, W, A) -> np.ndarray:
    """J[(i, c), r*d + j] = (1/sqrt(m)) A[r, c] 1{w_r . x_i >= 0} X[i, j]."""
    n, d = X.shape
    m, k = A.shape
    J = np.zeros((n * k, m * d))
    for i in range(n):
        for c in range(k):
            for r in range(m):
                if W[r] @ X[i] >= 0:
                    J[i * k + c, r * d:(r + 1) * d] = A[r, c] * X[i] / math.sqrt(m)
    return J


def explicit_forward(X, W, A) -> np.ndarray:
    n, m, k = X.shape[0], W.shape[0], A.shape[1]
    u = np.zeros((n, k))
    for i in range(n):
        for c in range(k):
            u[i, c] = sum(A[r, c] * max(W[r] @ X[i], 0.0) for r in range(m)) / math.sqrt(m)
    return u


def explicit_kfac_step(X, Y, W, A, lr) -> np.ndarray:
    """Summed K-FAC factors with explicit m x m pinv (tiny sizes only)."""
    n, k, m = X.shape[0], A.shape[1], W.shape[0]
    u, D = forward(X, W, A)
    r = u - Y
    g = [(A[:, c] * D[i]) / math.sqrt(m) for i in range(n) for c in range(k)]  # g_(i,c), index i*k+c
    Gm = np.stack(g, axis=1)  # m x nk
    S = Gm @ Gm.T
    A_in = X.T @ X
    grad = sum(r[i, c] * np.outer(g[i * k + c], X[i]) for i in range(n) for c in range(k))
    return W - lr * np.linalg.pinv(S) @ grad @ np.linalg.pinv(A_in)


def self_test() -> int:
    passed, failed = 0, 0

    def check(name, error, tol):
        nonlocal passed, failed
        ok = bool(error <= tol)
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {error:.3e} (tol {tol:.0e})")

    cases = [(7, 5, 60, 1, 3), (7, 5, 60, 2, 4), (5, 9, 80, 1, 5), (5, 9, 80, 3, 6), (12, 3, 150, 1, 7)]
    for n, d, m, k, seed in cases:
        p = generate_problem(n, d, m, k, lr=0.7, seed=seed)
        X, Y, W, A, lr = p.X, p.Y, p.W, p.A, p.lr
        tag = f"n={n} d={d} m={m} k={k}"
        u, D = forward(X, W, A)
        r = (u - Y).reshape(-1)
        check(f"{tag} forward vs loops", np.max(np.abs(u - explicit_forward(X, W, A))), 1e-13)
        J = explicit_jacobian(X, W, A)
        # Finite differences (central; no indicator flips at this h with Gaussian W).
        rng = np.random.default_rng(seed + 100)
        V = rng.standard_normal(W.shape)
        h = 1e-6
        fd = (forward(X, W + h * V, A)[0] - forward(X, W - h * V, A)[0]).reshape(-1) / (2 * h)
        check(f"{tag} explicit J vs finite differences", np.max(np.abs(fd - J @ V.reshape(-1))), 1e-7)
        G = gram(X, W, A)
        check(f"{tag} structured Gram vs J J^T", np.max(np.abs(G - J @ J.T)), 1e-13)
        if k == 1:
            Da = D * A[:, 0]
            check(f"{tag} Gram == (XX^T) o (D_a D_a^T)/m", np.max(np.abs(G - (X @ X.T) * (Da @ Da.T) / m)), 1e-13)
        Wt = rng.standard_normal(Y.shape)
        check(f"{tag} J^T v structured vs explicit",
              np.max(np.abs(jacobian_transpose_times(X, D, A, Wt).reshape(-1) - J.T @ Wt.reshape(-1))), 1e-13)

        W_ngd, _ = ngd_step(X, Y, W, A, lr)
        explicit_ngd = W.reshape(-1) - lr * J.T @ np.linalg.solve(J @ J.T, r)
        check(f"{tag} NGD step vs explicit J^T (JJ^T)^-1 r",
              np.max(np.abs(W_ngd.reshape(-1) - explicit_ngd)), 1e-10)
        check(f"{tag} NGD output-space step == -lr r",
              np.max(np.abs(J @ (W_ngd - W).reshape(-1) + lr * r)), 1e-10)
        W_gd, _ = gd_step(X, Y, W, A, lr)
        check(f"{tag} GD step vs explicit J^T r",
              np.max(np.abs(W_gd.reshape(-1) - (W.reshape(-1) - lr * J.T @ r))), 1e-13)
        W_kfac, _ = kfac_step(X, Y, W, A, lr)
        check(f"{tag} K-FAC step vs explicit pinv(S) grad pinv(A_in)",
              np.max(np.abs(W_kfac - explicit_kfac_step(X, Y, W, A, lr))), 1e-9)
        du_kfac = J @ (W_kfac - W).reshape(-1)
        if n <= d:
            check(f"{tag} K-FAC output step == NGD output step (n <= d)",
                  np.max(np.abs(du_kfac - J @ (W_ngd - W).reshape(-1))), 1e-10)
        else:
            h_lev = np.repeat(np.einsum("ij,ji->i", X, np.linalg.pinv(X)), k)
            check(f"{tag} K-FAC output step == -lr h o r (leverage, n > d)",
                  np.max(np.abs(du_kfac + lr * h_lev * r)), 1e-10)

    # Pseudo-inverse fallback on a singular PSD matrix, and the ReLU'(0) = 1 convention.
    B = np.random.default_rng(1).standard_normal((6, 3))
    M = B @ B.T
    fallback = Solve(M)
    rhs = M @ np.ones(6)
    check("singular Gram falls back to eigh-pinv (and solves consistent systems)",
          0.0 if fallback.method == "eigh-pinv" and np.allclose(M @ fallback(rhs), rhs) else 1.0, 0.0)
    p = generate_problem(4, 3, 10, 1, seed=2)
    p.W[0] = 0.0
    check("ReLU'(0) = 1: a zero row of W is active on every example",
          0.0 if forward(p.X, p.W, p.A)[1][:, 0].all() else 1.0, 0.0)

    # Exchange-format round trip.
    import tempfile
    p = generate_problem(6, 4, 30, 2, lr=0.3, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        save_problem(p, tmp)
        q = load_problem(tmp)
        same = all(np.array_equal(getattr(p, f), getattr(q, f)) for f in "XYWA") and q.lr == p.lr
        check("format round trip (bitwise)", 0.0 if same else 1.0, 0.0)
        (Path(tmp) / "W.bin").write_bytes(b"\0" * 8)
        try:
            load_problem(tmp)
            check("truncated W.bin rejected", 1.0, 0.0)
        except FormatError:
            check("truncated W.bin rejected", 0.0, 0.0)

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[tuple[int, int, int]]:
    sizes = []
    for part in text.replace(" ", "").split(";"):
        if part:
            values = tuple(int(v) for v in part.split(","))
            if len(values) != 3 or min(values) < 1:
                raise argparse.ArgumentTypeError(f"size '{part}' is not n,d,m")
            sizes.append(values)
    if not sizes:
        raise argparse.ArgumentTypeError("no sizes")
    return sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="DIR", help="exchange-format directory (meta.json + *.bin)")
    source.add_argument("--generate", metavar="n,d,m[;n,d,m...]", type=parse_sizes,
                        help="generate data with numpy's RNG (standalone timing only)")
    source.add_argument("--self-test", action="store_true", help="check formulas on tiny sizes and exit")
    source.add_argument("--env", action="store_true", help="print the environment JSON and exit")
    parser.add_argument("--k", type=int, default=1, help="outputs for --generate (default 1)")
    parser.add_argument("--lr", type=float, default=0.5, help="step size for --generate (default 0.5)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --generate (default 0)")
    parser.add_argument("--write-data", metavar="DIR", help="with --generate: also write the data here "
                        "(one size: DIR itself; several: DIR/n<n>-d<d>-m<m>)")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per operation (>= 5 advised)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--no-spectrum", action="store_true", help="skip eigvalsh(G) (lambda_min, condition)")
    parser.add_argument("--compact", action="store_true", help="drop per-repeat times from the JSON")
    args = parser.parse_args(argv)

    if args.self_test:
        return self_test()
    if args.env:
        print(json.dumps(environment(), indent=1, sort_keys=True))
        return 0

    results = []
    if args.data:
        try:
            problem = load_problem(args.data)
        except FormatError as error:
            print(f"ngd_peer: {error}", file=sys.stderr)
            return 1
        results.append(benchmark(problem, args.repeats, args.warmup, not args.no_spectrum))
    elif len(args.generate) == 1:
        n, d, m = args.generate[0]
        problem = generate_problem(n, d, m, args.k, args.lr, args.seed)
        if args.write_data:
            save_problem(problem, args.write_data)
        results.append(benchmark(problem, args.repeats, args.warmup, not args.no_spectrum))
    else:
        # One child process per size so that peak_rss_mb is that size's own peak.
        for n, d, m in args.generate:
            child = [sys.executable, os.path.abspath(__file__), "--generate", f"{n},{d},{m}",
                     "--k", str(args.k), "--lr", repr(args.lr), "--seed", str(args.seed),
                     "--repeats", str(args.repeats), "--warmup", str(args.warmup)]
            if args.write_data:
                child += ["--write-data", str(Path(args.write_data) / f"n{n}-d{d}-m{m}")]
            if args.no_spectrum:
                child.append("--no-spectrum")
            done = subprocess.run(child, stdout=subprocess.PIPE, check=False)
            if done.returncode != 0:
                print(f"ngd_peer: size {n},{d},{m} failed (exit {done.returncode})", file=sys.stderr)
                return 1
            results.extend(json.loads(done.stdout)["results"])

    if args.compact:
        for result in results:
            for timing in result["timings"].values():
                timing.pop("all_ms", None)
    output = {"peer": "numpy", "environment": environment(), "results": results}
    print(json.dumps(output, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
