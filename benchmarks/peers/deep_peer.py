#!/usr/bin/env python3
"""numpy/scipy peer for `ngd bench --depth L`: one exact NGD, K-FAC and GD step of the L-layer ReLU net.

Model (docs/DEEP-THEORY.md), W^1..W^L trained, A fixed, ReLU'(0) = 1 as in ngd:
    g^1 = X W1^T,  h^l = ReLU(g^l),  g^{l+1} = sqrt(2/m) h^l W_{l+1}^T,  u = (1/sqrt(m)) h^L A
    W1: m x d, W2..WL: m x m, A: m x k (+-1),  L = 1/2 ||u - Y||_F^2,  D^l = 1{g^l >= 0}
Per layer the Jacobian block of row (i, c) is Bk^l_(i,c) (x) In^l_i with
    In^1 = X, In^{l+1} = sqrt(2/m) h^l                      (layer inputs as they multiply W^l, n x dim_l)
    Bk^L_(i,c) = A[:, c] o D^L_i / sqrt(m),  Bk^l = (sqrt(2/m) Bk^{l+1} W_{l+1}) o D^l   (n*k x m)
so  Gram G = sum_l (In^l In^l^T (x) 1_kxk) o (Bk^l Bk^l^T)  and  J^T V = {Bk^l^T (V_rep o In^l)} per layer.
    NGD   dW = -lr J^T G^{-1} r        (Cholesky; eigh pseudo-inverse if it fails)
    GD    dW = -lr J^T r
    K-FAC per layer, summed factors A^l = In^l^T In^l, S^l = Bk^l^T Bk^l, factored Tikhonov damping
          (pi = sqrt((tr A/dim A)/(tr S/m)), gamma_A = pi sqrt(lam), gamma_S = sqrt(lam)/pi; lam = 0: pinv):
          dW^l = -lr (S^l + gamma_S I)^+ grad_{W^l} L (A^l + gamma_A I)^+
               = -lr Bk^l^T (Bk^l Bk^l^T + gamma_S I)^+ (r_rep o In^l (A^l + gamma_A I)^+)
          with In (A + gamma I)^+ = (In In^T + gamma I)^+ In on the smaller side: no m x m matrix.
Vectors over (example, output) use index i*k + c. Depth 1 is exactly ngd_peer.py's model.

Data: the exchange format of ngd_peer.py (README.md) with W1.bin .. WL.bin and meta keys `depth`,
`kfac_damping`; a directory without `depth` (W.bin) is depth 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ngd_peer import (DTYPE, FORMAT, FormatError, Solve, _read_matrix, blas_info, environment,  # noqa: E402
                      half_squared_error, input_checks, peak_rss_mb, r17, time_op)


@dataclass
class DeepProblem:
    X: np.ndarray          # n x d
    Y: np.ndarray          # n x k
    Ws: list               # [W1 (m x d), W2..WL (m x m)]
    A: np.ndarray          # m x k
    lr: float
    kfac_damping: float
    seed: int | None
    source: str

    n = property(lambda self: self.X.shape[0])
    d = property(lambda self: self.X.shape[1])
    m = property(lambda self: self.A.shape[0])
    k = property(lambda self: self.A.shape[1])
    depth = property(lambda self: len(self.Ws))

    # input_checks (ngd_peer) reads X and A only.


def load_deep_problem(directory: str | Path) -> DeepProblem:
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
    depth = int(meta.get("depth", 1))
    if min(n, d, m, k, depth) < 1:
        raise FormatError(f"{meta_path}: n, d, m, k and depth must be positive")
    if depth == 1 and "depth" not in meta:
        Ws = [_read_matrix(directory / "W.bin", m, d)]
    else:
        Ws = [_read_matrix(directory / f"W{l + 1}.bin", m, d if l == 0 else m) for l in range(depth)]
    damping = float(meta.get("kfac_damping", 0.0))
    if not (damping >= 0.0 and math.isfinite(damping)):
        raise FormatError(f"{meta_path}: kfac_damping must be finite and >= 0, got {damping}")
    return DeepProblem(X=_read_matrix(directory / "X.bin", n, d), Y=_read_matrix(directory / "Y.bin", n, k),
                       Ws=Ws, A=_read_matrix(directory / "A.bin", m, k), lr=float(meta["lr"]),
                       kfac_damping=damping, seed=meta.get("seed"), source=str(directory))


def save_deep_problem(p: DeepProblem, directory: str | Path) -> None:
    """The layout `ngd bench --depth L --dump-dir` writes (depth and kfac_damping always recorded)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, array in [("X", p.X), ("Y", p.Y), ("A", p.A)] + [(f"W{l + 1}", W) for l, W in enumerate(p.Ws)]:
        np.ascontiguousarray(array, dtype=DTYPE).tofile(directory / f"{name}.bin")
    meta = {"n": p.n, "d": p.d, "m": p.m, "k": p.k, "lr": p.lr, "seed": p.seed, "format": FORMAT,
            "depth": p.depth, "kfac_damping": p.kfac_damping}
    (directory / "meta.json").write_text(json.dumps(meta, sort_keys=True) + "\n")


def generate_deep_problem(n, d, m, depth, k=1, lr=0.5, kfac_damping=0.0, seed=0) -> DeepProblem:
    """numpy's RNG (PCG64), nu = 1: for self-tests and standalone timing only."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y = rng.standard_normal((n, k))
    Ws = [rng.standard_normal((m, d))] + [rng.standard_normal((m, m)) for _ in range(depth - 1)]
    A = rng.choice(np.array([-1.0, 1.0]), size=(m, k))
    return DeepProblem(X, Y, Ws, A, lr, kfac_damping, seed, f"generated n={n} d={d} m={m} L={depth} k={k}")


# --------------------------------------------------------------------------------------------------
# Structured kernels
# --------------------------------------------------------------------------------------------------

def forward(X, Ws, A):
    """u (n x k), the layer inputs In^1..In^L and the masks D^1..D^L (bool, n x m)."""
    m = A.shape[0]
    scale = math.sqrt(2.0 / m)
    inputs, masks = [X], []
    for l, W in enumerate(Ws):
        g = inputs[l] @ W.T
        masks.append(g >= 0.0)
        np.maximum(g, 0.0, out=g)
        if l + 1 < len(Ws):
            g *= scale
            inputs.append(g)
    u = g @ A
    u *= 1.0 / math.sqrt(m)
    return u, inputs, masks


def backward_factors(Ws, A, masks):
    """Bk^1..Bk^L, each n*k x m with row i*k + c = d f_c(x_i) / d g^l."""
    n, m = masks[0].shape
    k = A.shape[1]
    top = masks[-1]
    if k == 1:
        B = top * (A[:, 0] / math.sqrt(m))
    else:
        B = (top[:, None, :] * (A.T / math.sqrt(m))[None, :, :]).reshape(n * k, m)
    factors = [B]
    scale = math.sqrt(2.0 / m)
    for l in range(len(Ws) - 2, -1, -1):
        B = factors[0] @ Ws[l + 1]
        B *= scale
        B *= masks[l] if k == 1 else np.repeat(masks[l], k, axis=0)
        factors.insert(0, B)
    return factors


def repeat_rows(M, k):
    return M if k == 1 else np.repeat(M, k, axis=0)


def gram(inputs, factors, k):
    G = None
    for In, B in zip(inputs, factors):
        term = B @ B.T
        IIt = In @ In.T
        term *= IIt if k == 1 else np.repeat(np.repeat(IIt, k, axis=0), k, axis=1)
        G = term if G is None else G + term
    return G


def transpose_times(inputs, factors, v):
    """J^T v for v over (i, c) (length n*k): per layer Bk^T (v_(i,c) In_i) = (Bk^T diag(v)) In_rep."""
    k = factors[0].shape[0] // inputs[0].shape[0]
    return [B.T @ (v[:, None] * repeat_rows(In, k)) for In, B in zip(inputs, factors)]


def kfac_factor_damping(In, B, m, lam):
    """KFAC.factorDamping: (gamma_A, gamma_S) from tr A = ||In||_F^2 and tr S = ||Bk||_F^2."""
    if lam <= 0.0:
        return 0.0, 0.0
    trace_a, trace_s = float(np.vdot(In, In)), float(np.vdot(B, B))
    pi = math.sqrt((trace_a / In.shape[1]) / (trace_s / m)) if trace_s > 0 else float("nan")
    root = math.sqrt(lam)
    if not (math.isfinite(pi) and pi > 0):
        return root, root
    return pi * root, root / pi


def damped(M, gamma):
    return M if gamma == 0.0 else M + gamma * np.eye(M.shape[0])


def whitened_inputs(In, gamma):
    """In (In^T In + gamma I)^+ on the smaller side, as KFAC.whitenedInputs."""
    n, dim = In.shape
    if n <= dim:
        return Solve(damped(In @ In.T, gamma))(In)
    return Solve(damped(In.T @ In, gamma))(In.T).T


def ngd_step(p: DeepProblem):
    u, inputs, masks = forward(p.X, p.Ws, p.A)
    factors = backward_factors(p.Ws, p.A, masks)
    solve = Solve(gram(inputs, factors, p.k))
    alpha = solve((u - p.Y).reshape(-1))
    steps = transpose_times(inputs, factors, alpha)
    return [W - p.lr * S for W, S in zip(p.Ws, steps)], {"ngd_solver": solve.method}


def gd_step(p: DeepProblem):
    u, inputs, masks = forward(p.X, p.Ws, p.A)
    steps = transpose_times(inputs, backward_factors(p.Ws, p.A, masks), (u - p.Y).reshape(-1))
    return [W - p.lr * S for W, S in zip(p.Ws, steps)], {}


def kfac_step(p: DeepProblem):
    u, inputs, masks = forward(p.X, p.Ws, p.A)
    factors = backward_factors(p.Ws, p.A, masks)
    r = (u - p.Y).reshape(-1)
    new, methods = [], []
    for W, In, B in zip(p.Ws, inputs, factors):
        gamma_a, gamma_s = kfac_factor_damping(In, B, p.m, p.kfac_damping)
        R = r[:, None] * repeat_rows(whitened_inputs(In, gamma_a), p.k)
        solve = Solve(damped(B @ B.T, gamma_s))
        methods.append(solve.method)
        new.append(W - p.lr * (B.T @ solve(R)))
    return new, {"kfac_solver": "cholesky" if all(s == "cholesky" for s in methods) else "eigh-pinv"}


def loss_of(p: DeepProblem, Ws) -> float:
    return half_squared_error(forward(p.X, Ws, p.A)[0], p.Y)


def benchmark(p: DeepProblem, repeats: int, warmup: int) -> dict:
    load_start = list(os.getloadavg())
    W_ngd, info_ngd = ngd_step(p)
    W_gd, _ = gd_step(p)
    W_kfac, info_kfac = kfac_step(p)
    losses = {"loss": loss_of(p, p.Ws), "ngd_step_loss": loss_of(p, W_ngd), "gd_step_loss": loss_of(p, W_gd),
              "kfac_step_loss": loss_of(p, W_kfac)}
    del W_ngd, W_gd, W_kfac
    timings = {
        "forward": time_op(lambda: half_squared_error(forward(p.X, p.Ws, p.A)[0], p.Y), repeats, warmup),
        "ngd_step": time_op(lambda: ngd_step(p), repeats, warmup),
        "gd_step": time_op(lambda: gd_step(p), repeats, warmup),
        "kfac_step": time_op(lambda: kfac_step(p), repeats, warmup),
    }
    return {
        "n": p.n, "d": p.d, "m": p.m, "k": p.k, "depth": p.depth, "lr": p.lr, "kfac_damping": p.kfac_damping,
        "seed": p.seed, "source": p.source,
        **{f"{key}_ms": value["median_ms"] for key, value in timings.items()},
        "timings": timings, "blas_core": blas_info().get("core"), "peak_rss_mb": peak_rss_mb(),
        "input_checks": input_checks(p), **info_ngd, **info_kfac, **losses,
        "losses_17g": {key: r17(value) for key, value in losses.items()},
        "load_average_start": load_start, "load_average_end": list(os.getloadavg()),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="DIR", help="exchange-format directory (W1.bin .. WL.bin or W.bin)")
    source.add_argument("--generate", metavar="n,d,m,L", help="generate data with numpy's RNG (timing only)")
    source.add_argument("--self-test", action="store_true", help="check against dense J and pinv on tiny nets")
    parser.add_argument("--k", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--kfac-damping", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write-data", metavar="DIR", help="with --generate: also write the data here")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--compact", action="store_true", help="drop per-repeat times from the JSON")
    args = parser.parse_args(argv)
    if args.self_test:
        from deep_peer_selftest import self_test
        return self_test()
    if args.data:
        try:
            problem = load_deep_problem(args.data)
        except FormatError as error:
            print(f"deep_peer: {error}", file=sys.stderr)
            return 1
    else:
        try:
            n, d, m, depth = (int(v) for v in args.generate.split(","))
        except ValueError:
            print(f"deep_peer: --generate '{args.generate}' is not n,d,m,L", file=sys.stderr)
            return 2
        problem = generate_deep_problem(n, d, m, depth, args.k, args.lr, args.kfac_damping, args.seed)
        if args.write_data:
            save_deep_problem(problem, args.write_data)
    result = benchmark(problem, args.repeats, args.warmup)
    if args.compact:
        for timing in result["timings"].values():
            timing.pop("all_ms", None)
    print(json.dumps({"peer": "numpy-deep", "environment": environment(), "results": [result]}, indent=1,
                     sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
