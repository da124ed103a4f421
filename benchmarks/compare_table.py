#!/usr/bin/env python3
"""Markdown tables for docs/PERFORMANCE.md from `compare.py --json-out FILE` (ngd bench vs the numpy peer).

usage: python3 benchmarks/compare_table.py FILE [FILE...]

A file from `compare.py --threads 1,2,...` holds one comparison per thread count; each gets its own tables.
"""
import json
import sys

OPS = [("forward", "forward"), ("gram", "Gram"), ("ngd_step", "NGD step"), ("gd_step", "GD step"),
       ("kfac_step", "K-FAC step")]


def cpu(result, key):
    return ((result.get("timings") or {}).get(key) or {}).get("cpu_median_ms")


def fmt(x, digits=1):
    return "—" if x is None else f"{x:.{digits}f}"


def reports(path):
    """The comparisons in one JSON file: one, or one per thread count (`compare.py --threads`)."""
    data = json.load(open(path))
    return data["runs"] if "runs" in data else [data]


def main(paths):
    for path, report in ((path, report) for path in paths for report in reports(path)):
        coretype = report.get("ngd_coretype") or "unset"
        print(f"\n`{path}` — OPENBLAS_CORETYPE for ngd: {coretype}; "
              f"OPENBLAS_NUM_THREADS={report['peer_environment']['env'].get('OPENBLAS_NUM_THREADS') or 'unset'}\n")
        print("| n, d, m | operation | ngd ms (CPU ms) | numpy ms (CPU ms) | speed-up wall (numpy/ngd) | speed-up CPU |")
        print("|---|---|---|---|---|---|")
        for pair in report["pairs"]:
            ngd, peer = pair["ngd"], pair["numpy"]
            size = f"{ngd['n']}, {ngd['d']}, {ngd['m']}"
            rows = [(label, ngd.get(f"{key}_ms"), cpu(ngd, key), peer.get(f"{key}_ms"), cpu(peer, key))
                    for key, label in OPS]
            rows.append(("NGD step, cold (ngd)", ngd.get("ngd_cold_step_ms"), cpu(ngd, "ngd_cold_step"),
                         peer.get("ngd_step_ms"), cpu(peer, "ngd_step")))
            for label, a, ac, b, bc in rows:
                wall = fmt(b / a, 2) if a and b else "—"
                c = fmt(bc / ac, 2) if ac and bc else "—"
                print(f"| {size} | {label} | {fmt(a)} ({fmt(ac)}) | {fmt(b)} ({fmt(bc)}) | {wall} | {c} |")
        print("\n| n, d, m | ngd form | BLAS core ngd / numpy | dgemm X·Wᵀ GFLOP/s ngd / numpy | square dgemm | "
              "NGD-step GEMMs (share) | peak RSS MB ngd / numpy | ngd (peak−base)/required | "
              "NGD-step loss ngd | numpy | rel. diff | load avg |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for pair in report["pairs"]:
            ngd, peer = pair["ngd"], pair["numpy"]
            a, b = float(ngd["ngd_step_loss"]), float(peer["ngd_step_loss"])
            rel = abs(a - b) / max(abs(a), abs(b))
            print(f"| {ngd['n']}, {ngd['d']}, {ngd['m']} | {ngd['preactivation_form']} | {ngd['blas_core']} / "
                  f"{peer['blas_core']} | {fmt(ngd['dgemm_gflops'])} / {fmt(peer['dgemm_gflops'])} | "
                  f"{fmt(ngd['dgemm_square_gflops'])} | {fmt(ngd['ngd_step_gemm_gflops'])} "
                  f"({100 * ngd['ngd_step_gemm_share_of_dgemm']:.0f} %) | {fmt(ngd['peak_rss_mb'], 0)} / "
                  f"{fmt(peer['peak_rss_mb'], 0)} | {ngd['peak_over_required']:.2f} "
                  f"({ngd.get('stepper_peak_over_required', float('nan')):.2f} w/o W₀ copy) | {a!r} | {b!r} | "
                  f"{rel:.1e} | {ngd['load_average_start']:.1f}→{peer['load_average_end'][0]:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
