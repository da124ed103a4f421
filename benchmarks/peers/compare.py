#!/usr/bin/env python3
"""Run `ngd bench --json` and the numpy peer on the SAME dumped data; print speed ratios and loss agreement.

    benchmarks/peers/compare.py [--ngd PATH] [--sizes "n,d,m;..."] [--repeats R] [--threads N[,N...]]
                                [--dump-dir DIR] [--matched-kernels | --coretype NAME] [--json-out FILE]
                                [--peer-only] [--depth L]

With `--depth L` (L >= 2) it runs `ngd bench --depth L` and the deep peer deep_peer.py on the same dumped data
(W1.bin .. WL.bin); the compared operations are whole NGD, K-FAC and GD steps (default size 1024,784,2048).

With a list (`--threads 1,2,4`) the whole comparison runs once per count, OPENBLAS_NUM_THREADS set for both
programs (ngd's pattern Gram follows its BLAS thread count), then a scaling summary per program: time, speed-up
and efficiency of each operation against the first count.

Exit status: 0 when every post-step loss agrees to <= 1e-10 (relative), 1 when one does not or a run fails,
2 on usage errors (e.g. no `ngd` binary and no --peer-only).

BLAS kernels. By default both programs run in the environment as it is. `ngd` links Debian's OpenBLAS 0.3.21,
the peer uses the OpenBLAS bundled with the numpy wheel (0.3.31 here). 0.3.21 predates some CPUs and then
silently falls back to generic kernels (on an Intel machine used earlier in this project it chose Prescott:
~30 vs ~121 GFLOP/s). On the AMD EPYC (family 25 = Zen 3, AVX2, no AVX-512) of this machine 0.3.21 detects
"Zen" and numpy's OpenBLAS reports "Haswell"; those are closely related AVX2 kernel sets. `--matched-kernels`
sets OPENBLAS_CORETYPE, for the `ngd` command only, to the core numpy's OpenBLAS reports, so that the ratio
compares the code around BLAS rather than two kernel sets. The value is checked first in a throwaway process
that loads Debian's OpenBLAS with it and runs a small dgemm: forcing an AVX-512 core (SkylakeX, Cooperlake,
SapphireRapids) on a CPU without AVX-512 dies with SIGILL (measured here: SkylakeX -> "Illegal instruction").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER = HERE / "ngd_peer.py"
DEEP_PEER = HERE / "deep_peer.py"
REPO = HERE.parent.parent
DEFAULT_SIZES = "256,784,4096;1024,784,8192;2048,64,16384"
DEFAULT_DEEP_SIZES = "1024,784,2048"
OPERATIONS = ("forward_ms", "gram_ms", "ngd_step_ms", "gd_step_ms", "kfac_step_ms")
LOSSES = ("loss", "ngd_step_loss", "gd_step_loss", "kfac_step_loss")
SAME_COMPUTATION_TOLERANCE = 1e-10

# Loads Debian's OpenBLAS (the one `ngd` links), prints its core name and runs a small dgemm, so that a core
# forced through OPENBLAS_CORETYPE is proven to execute on this CPU before `ngd` uses it.
PROBE = r"""
import ctypes, json
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
lib.openblas_get_config.restype = ctypes.c_char_p
n = 256
a = (ctypes.c_double * (n * n))(*([1.0] * (n * n)))
c = (ctypes.c_double * (n * n))()
lib.cblas_dgemm(101, 111, 111, n, n, n, ctypes.c_double(1.0), a, n, a, n, ctypes.c_double(0.0), c, n)
print(json.dumps({"core": lib.openblas_get_corename().decode(), "config": lib.openblas_get_config().decode(),
                  "dgemm_ok": c[0] == n}))
"""


def fail(message: str, status: int = 1):
    print(f"compare: {message}", file=sys.stderr)
    sys.exit(status)


def probe_system_openblas(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        signal = -done.returncode if done.returncode < 0 else None
        return {"error": f"probe exited {done.returncode}" + (f" (signal {signal}; 4 = SIGILL)" if signal else ""),
                "stderr": done.stderr.strip()[-300:]}
    return json.loads(done.stdout)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def find_ngd(explicit: str | None) -> str | None:
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for candidate in (REPO / ".build" / "release" / "ngd", REPO / ".build" / "debug" / "ngd"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("ngd")


def parse_json_output(text: str, what: str):
    start = min([i for i in (text.find("["), text.find("{")) if i >= 0], default=-1)
    if start < 0:
        fail(f"{what} printed no JSON")
    try:
        return json.loads(text[start:])
    except ValueError as error:
        fail(f"{what} printed malformed JSON: {error}")


def locate_data(entry: dict, dump_dir: Path, single: bool) -> Path | None:
    """The bench entry may name its directory; else DIR/n<n>-d<d>-m<m>; else DIR itself for one size."""
    candidates = [entry.get(key) for key in ("data_dir", "dump_dir", "dump_path")]
    n, d, m = entry.get("n"), entry.get("d"), entry.get("m")
    candidates += [dump_dir / f"n{n}-d{d}-m{m}", dump_dir / f"n{n}_d{d}_m{m}"]
    if single:
        candidates.append(dump_dir)
    for candidate in candidates:
        if candidate and (Path(candidate) / "meta.json").is_file():
            return Path(candidate)
    return None


def run_peer(arguments: list[str], env: dict, peer: Path = PEER) -> dict:
    done = subprocess.run([sys.executable, str(peer), *arguments, "--compact"], env=env,
                          stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        fail(f"peer {' '.join(arguments)} exited {done.returncode}")
    return parse_json_output(done.stdout, "ngd_peer.py")


def with_step_times(entry: dict) -> dict:
    """`ngd bench --depth` reports times only under timings[op].median_ms; lift them to the `<op>_ms` keys."""
    for key in OPERATIONS:
        median = ((entry.get("timings") or {}).get(key[:-3]) or {}).get("median_ms")
        if key not in entry and isinstance(median, (int, float)):
            entry[key] = median
    return entry


def relative_difference(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def fmt(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def cpu_median(result: dict | None, key: str) -> float | None:
    """Median CPU ms of operation `key` ("ngd_step_ms" -> timings["ngd_step"]["cpu_median_ms"]), if recorded."""
    value = ((result or {}).get("timings") or {}).get(key[:-3], {}).get("cpu_median_ms")
    return float(value) if isinstance(value, (int, float)) else None


def print_pair(ngd: dict | None, peer: dict, title: str) -> list[str]:
    """Prints one size's table; returns the names of losses that disagree."""
    print(f"\n== {title}")
    print(f"  {'operation':<16}{'ngd':>12}{'numpy':>12}{'ngd/numpy':>11}"
          f"{'ngd CPU':>12}{'numpy CPU':>12}{'CPU ratio':>11}")
    for key in OPERATIONS:
        a, b = (ngd or {}).get(key), peer.get(key)
        ratio = f"{a / b:.2f}" if isinstance(a, (int, float)) and b else "—"
        ca, cb = cpu_median(ngd, key), cpu_median(peer, key)
        cpu_ratio = f"{ca / cb:.2f}" if ca is not None and cb else "—"
        print(f"  {key:<16}{fmt(a):>12}{fmt(b):>12}{ratio:>11}{fmt(ca):>12}{fmt(cb):>12}{cpu_ratio:>11}")
    a, b = (ngd or {}).get("dgemm_gflops"), peer.get("dgemm_gflops")
    ratio = f"{a / b:.2f}" if isinstance(a, (int, float)) and b else "—"
    print(f"  {'dgemm GFLOP/s':<16}{fmt(a):>12}{fmt(b):>12}{ratio:>11}")
    print(f"  {'peak RSS MB':<16}{fmt((ngd or {}).get('peak_rss_mb'), 0):>12}{fmt(peer.get('peak_rss_mb'), 0):>12}")
    print(f"  {'BLAS core':<16}{str((ngd or {}).get('blas_core', '—')):>12}{str(peer.get('blas_core')):>12}")
    if "gram_condition" in peer:
        print(f"  cond(G) = {peer['gram_condition']:.3g} (lambda_min {peer['gram_lambda_min']:.3g}, "
              f"lambda_max {peer['gram_lambda_max']:.3g}; numpy)")
    disagreeing = []
    for key in LOSSES:
        b = peer.get(key)
        a = (ngd or {}).get(key)
        if not isinstance(a, (int, float)):
            if ngd is not None and key == "ngd_step_loss":
                print(f"  {key}: ngd printed none")
                disagreeing.append(key)
            else:
                print(f"  {key}: numpy {b!r}")
            continue
        rel = relative_difference(float(a), float(b))
        same = rel <= SAME_COMPUTATION_TOLERANCE
        if not same:
            disagreeing.append(key)
        print(f"  {key}: ngd {float(a)!r}  numpy {float(b)!r}  rel diff {rel:.2e}  "
              f"{'same computation' if same else 'DIFFERENT (> 1e-10)'}")
    return disagreeing


def parse_threads(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of thread counts such as 1,2,4")
    if not counts or any(count < 1 for count in counts) or len(set(counts)) != len(counts):
        raise argparse.ArgumentTypeError(f"'{text}': thread counts must be positive and distinct")
    return counts


def print_scaling(runs: list[tuple[int, dict]]):
    """Per program and operation: median ms, speed-up and efficiency at each thread count against the first."""
    base_threads = runs[0][0]
    print(f"\nThread scaling (speed-up and efficiency against {base_threads} thread(s))")
    for program in ("ngd", "numpy"):
        for pair_index, first_pair in enumerate(runs[0][1]["pairs"]):
            first = first_pair.get(program)
            if not first:
                continue
            print(f"  {program}, n={first.get('n')} d={first.get('d')} m={first.get('m')}")
            for key in OPERATIONS:
                base = first.get(key)
                if not isinstance(base, (int, float)) or not base:
                    continue
                cells = []
                for threads, report in runs:
                    pairs = report["pairs"]
                    value = (pairs[pair_index].get(program) or {}).get(key) if pair_index < len(pairs) else None
                    if isinstance(value, (int, float)) and value:
                        speedup = base / value
                        efficiency = speedup / (threads / base_threads)
                        cells.append(f"{threads:>3}: {value:9.1f} ms x{speedup:5.2f} {100 * efficiency:4.0f} %")
                    else:
                        cells.append(f"{threads:>3}: —")
                print(f"    {key[:-3]:<14}" + "   ".join(cells))


def main() -> int:
    counts = None
    for index, argument in enumerate(sys.argv):
        value = sys.argv[index + 1] if argument == "--threads" and index + 1 < len(sys.argv) else (
            argument.split("=", 1)[1] if argument.startswith("--threads=") else None)
        if value is not None and "," in value:
            counts = parse_threads(value)
    if counts:
        # One full comparison per count, in this same script, then the scaling summary.
        rest, skip = [], False
        for argument in sys.argv[1:]:
            if skip:
                skip = False
                continue
            if argument == "--threads":
                skip = True
                continue
            if argument.startswith("--threads=") or argument == "--json-out" or argument.startswith("--json-out="):
                continue
            rest.append(argument)
        json_out = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--json-out=")), None)
        if "--json-out" in sys.argv:
            json_out = sys.argv[sys.argv.index("--json-out") + 1]
            rest = [a for a in rest if a != json_out]
        runs, status = [], 0
        with tempfile.TemporaryDirectory(prefix="ngd-compare-threads-") as directory:
            for count in counts:
                print(f"\n######## {count} thread(s)")
                out = Path(directory) / f"threads-{count}.json"
                sys.argv = [sys.argv[0], *rest, "--threads", str(count), "--json-out", str(out)]
                status = max(status, compare_once())
                runs.append((count, json.loads(out.read_text())))
        print_scaling(runs)
        if json_out:
            Path(json_out).write_text(json.dumps({"threads": counts, "runs": [r for _, r in runs]}, indent=1,
                                                 sort_keys=True) + "\n")
        return status
    return compare_once()


def compare_once() -> int:
    parser = argparse.ArgumentParser(description="ngd vs numpy peer on the same data",
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--ngd", metavar="PATH", help="ngd binary (default: .build/release/ngd, "
                        ".build/debug/ngd, then PATH)")
    parser.add_argument("--sizes", help=f'"n,d,m;..." (default "{DEFAULT_SIZES}"; with --depth L >= 2 '
                        f'"{DEFAULT_DEEP_SIZES}")')
    parser.add_argument("--depth", type=int, default=1, help="hidden layers L (>= 2: ngd bench --depth L and "
                        "deep_peer.py; default 1, the two-layer comparison)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=parse_threads, help="OPENBLAS_NUM_THREADS for both programs, or a list "
                        "'1,2,4' to run the comparison at each and print the scaling (default: as set)")
    parser.add_argument("--dump-dir", metavar="DIR", help="where ngd dumps the data (default: temporary, removed)")
    kernels = parser.add_mutually_exclusive_group()
    kernels.add_argument("--matched-kernels", action="store_true",
                         help="run ngd with OPENBLAS_CORETYPE = the core numpy's OpenBLAS uses")
    kernels.add_argument("--coretype", metavar="NAME", help="run ngd with OPENBLAS_CORETYPE=NAME")
    parser.add_argument("--json-out", metavar="FILE", help="also write all raw results as JSON")
    parser.add_argument("--peer-only", action="store_true",
                        help="no ngd: generate the data with the peer and print numpy's numbers only")
    args = parser.parse_args()
    if args.repeats < 1:
        fail("--repeats must be >= 1", 2)
    if args.depth < 1:
        fail("--depth must be >= 1", 2)
    deep = args.depth > 1
    if args.sizes is None:
        args.sizes = DEFAULT_DEEP_SIZES if deep else DEFAULT_SIZES
    peer_script = DEEP_PEER if deep else PEER

    env = dict(os.environ)
    if args.threads is not None:
        env["OPENBLAS_NUM_THREADS"] = str(args.threads[0])
    peer_env = run_peer(["--env"], env)
    numpy_core = peer_env["blas"].get("core")

    # The environment `ngd` runs in: as it is, unless kernels are matched (for that command only).
    ngd_env = dict(env)
    coretype = args.coretype or (numpy_core if args.matched_kernels else None)
    if coretype:
        ngd_env["OPENBLAS_CORETYPE"] = coretype
    system_blas = probe_system_openblas(ngd_env)
    if coretype:
        if "error" in system_blas:
            fail(f"OPENBLAS_CORETYPE={coretype} does not run on this CPU with Debian's OpenBLAS: "
                 f"{system_blas['error']}", 2)
        if system_blas.get("core", "").lower() != coretype.lower():
            fail(f"Debian's OpenBLAS does not know core '{coretype}' (it chose '{system_blas.get('core')}')", 2)

    print(f"CPU: {cpu_model()} (family {peer_env['cpu'].get('cpu_family')}, model {peer_env['cpu'].get('model')}, "
          f"AVX-512F {'yes' if peer_env['cpu'].get('flags_avx512f') else 'no'}); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"numpy {peer_env['numpy']} + OpenBLAS {peer_env['blas'].get('version')} core "
          f"{numpy_core}; Debian OpenBLAS core for ngd: {system_blas.get('core', system_blas.get('error'))}"
          f"{' (OPENBLAS_CORETYPE=' + coretype + ')' if coretype else ' (autodetected)'}; "
          f"OPENBLAS_NUM_THREADS={env.get('OPENBLAS_NUM_THREADS', 'unset')}")

    temporary = None
    if args.dump_dir:
        dump_dir = Path(args.dump_dir)
        dump_dir.mkdir(parents=True, exist_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="ngd-compare-")
        dump_dir = Path(temporary.name)

    report = {"cpu": cpu_model(), "peer_environment": peer_env, "ngd_openblas": system_blas,
              "ngd_coretype": coretype, "pairs": []}
    disagreements = []
    try:
        if args.peer_only:
            if deep:
                results = []
                for size in [part for part in args.sizes.replace(" ", "").split(";") if part]:
                    n, d, m = size.split(",")
                    results += run_peer(["--generate", f"{size},{args.depth}", "--repeats", str(args.repeats),
                                         "--write-data", str(dump_dir / f"n{n}-d{d}-m{m}")], env,
                                        DEEP_PEER)["results"]
            else:
                results = run_peer(["--generate", args.sizes, "--repeats", str(args.repeats),
                                    "--write-data", str(dump_dir)], env)["results"]
            for result in results:
                print_pair(None, result, f"n={result['n']} d={result['d']} m={result['m']} (numpy only)")
                report["pairs"].append({"ngd": None, "numpy": result})
        else:
            ngd = find_ngd(args.ngd)
            if ngd is None:
                fail("no ngd binary found (build with `swift build -c release`, pass --ngd PATH, "
                     "or use --peer-only)", 2)
            command = [ngd, "bench", "--json", "--sizes", args.sizes, "--repeats", str(args.repeats),
                       "--dump-dir", str(dump_dir)] + (["--depth", str(args.depth)] if deep else [])
            done = subprocess.run(command, env=ngd_env, stdout=subprocess.PIPE, text=True)
            if done.returncode != 0:
                fail(f"{' '.join(command)} exited {done.returncode}")
            entries = parse_json_output(done.stdout, "ngd bench --json")
            if isinstance(entries, dict):
                entries = entries.get("results", [entries])
            for entry in entries:
                entry = with_step_times(entry)
                data = locate_data(entry, dump_dir, len(entries) == 1)
                title = f"n={entry.get('n')} d={entry.get('d')} m={entry.get('m')}" + (
                    f" depth={args.depth}" if deep else "")
                if data is None:
                    print(f"\n== {title}: no dumped data found under {dump_dir}")
                    disagreements.append(f"{title}: data")
                    continue
                peer = run_peer(["--data", str(data), "--repeats", str(args.repeats)], env,
                                peer_script)["results"][0]
                if peer.get("depth", 1) != args.depth:
                    fail(f"{data}: the dumped data has depth {peer.get('depth', 1)}, expected {args.depth}")
                bad = print_pair(entry, peer, f"{title}  (ratio > 1: ngd slower; GFLOP/s ratio > 1: ngd faster)")
                disagreements += [f"{title}: {key}" for key in bad]
                report["pairs"].append({"ngd": entry, "numpy": peer, "data": str(data)})
    finally:
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
        if temporary:
            temporary.cleanup()

    pairs = [pair for pair in report["pairs"] if pair["ngd"]]
    if pairs:
        print("\nSummary: ngd time / numpy time (> 1: ngd slower; wall, and CPU in brackets); "
              "NGD-step loss relative difference")
        print(f"  {'n,d,m':<18}" + "".join(f"{key[:-3]:>14}" for key in OPERATIONS) + f"{'loss rel':>11}")
        for pair in pairs:
            ngd, peer = pair["ngd"], pair["numpy"]
            cells = []
            for key in OPERATIONS:
                a, b = ngd.get(key), peer.get(key)
                ca, cb = cpu_median(ngd, key), cpu_median(peer, key)
                cpu = f" ({ca / cb:.2f})" if ca is not None and cb else ""
                cells.append(f"{(f'{a / b:.2f}' if isinstance(a, (int, float)) and b else '—') + cpu:>14}")
            a = ngd.get("ngd_step_loss")
            rel = (f"{relative_difference(float(a), float(peer['ngd_step_loss'])):>11.1e}"
                   if isinstance(a, (int, float)) else f"{'—':>11}")
            size = f"{ngd.get('n')},{ngd.get('d')},{ngd.get('m')}"
            print(f"  {size:<18}" + "".join(cells) + rel)

    if disagreements:
        print(f"\nNOT the same computation: {', '.join(disagreements)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
