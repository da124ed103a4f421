#!/usr/bin/env bash
# One-shot measurements of `ngd bench` on a many-core machine that has no Swift, OpenBLAS or cairo.
#
#   benchmarks/device-bench.sh BUNDLE_DIR [OUT_DIR]
#
# BUNDLE_DIR holds `ngd` (a wrapper that sets LD_LIBRARY_PATH), bin/ngd and lib/ (the shared libraries `ldd`
# listed on the build machine), or ngd-bundle.tar.gz with those inside (unpacked to a temporary folder).
# Everything lands in OUT_DIR (default $OUT, else .): summary.txt, and one JSON and its stderr per step (9 files).
# A short run for a machine lent for minutes (estimated 70–95 s on a 16-core Xeon; the step limits add to
# 165 s): `--operations gram,ngd_step` times the pattern Gram (with its parts: Z = XWᵀ, signs, XXᵀ, popcount)
# and the NGD step (with its solve) only.
# Each step has its own time limit, so a slow machine loses steps, not the whole run. Steps:
#   1, 2 Gram and NGD-step scaling at (2048, 64, 16384), then (1024, 784, 8192), 1, 2, 4, 8, 16 threads
#   3 the issue's four sizes at all threads, with the automatic BLAS core choice
#   4 the Gram at (2048, 64, 16384), 1 and all threads, with OPENBLAS_THREAD_TIMEOUT=20
set -u
bundle=${1:?usage: device-bench.sh BUNDLE_DIR [OUT_DIR]}
out=${2:-${OUT:-.}}
mkdir -p "$out"
summary="$out/summary.txt"
started=$(date +%s)
log() { echo "[$(( $(date +%s) - started ))s] $*" | tee -a "$summary"; }

if [ ! -x "$bundle/ngd" ] && [ -f "$bundle/ngd-bundle.tar.gz" ]; then
    unpacked=$(mktemp -d)
    tar -xzf "$bundle/ngd-bundle.tar.gz" -C "$unpacked"
    bundle="$unpacked/ngd-bundle"
fi
ngd="$bundle/ngd"
[ -x "$ngd" ] || { echo "device-bench: no executable $ngd" >&2; exit 2; }
cores=$(nproc)
threads="1,2,4,8,16"
[ "$cores" -lt 16 ] && threads=$(echo "1 2 4 8 16" | tr ' ' '\n' | awk -v c="$cores" '$1 <= c' | paste -sd, -)

# step NAME LIMIT_S [ENV=VALUE…] -- ARGS…: runs `ngd ARGS` with the environment additions, JSON to NAME.json.
step() {
    local name=$1 limit=$2; shift 2
    local assignments=()
    while [ "$1" != "--" ]; do assignments+=("$1"); shift; done
    shift
    log "$name: ${assignments[*]} ngd $*"
    env "${assignments[@]}" timeout "$limit" "$ngd" "$@" > "$out/$name.json" 2> "$out/$name.stderr"
    local status=$?
    log "$name: exit $status$( [ $status -eq 124 ] && echo ' (time limit)')"
    grep -h "BLAS:" "$out/$name.stderr" | head -2 | tee -a "$summary"
}

{
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $cores logical CPUs"
    echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512(f|bw|vl|dq|cd|_vpopcntdq))$' | paste -sd' ')"
    echo "thread counts: $threads"
} | tee -a "$summary"
unset OPENBLAS_NUM_THREADS OPENBLAS_CORETYPE NGD_BLAS_CORE

gram_parts="--operations gram,ngd_step"
step 1-gram-scaling 45 NGD_BLAS_CORE=auto -- bench --sizes 2048,64,16384 --repeats 3 --threads "$threads" $gram_parts --json
step 2-mnist-scaling 40 NGD_BLAS_CORE=auto -- bench --sizes 1024,784,8192 --repeats 3 --threads "$threads" $gram_parts --json
all=$(echo "$threads" | tr ',' '\n' | tail -1)
sizes="256,784,4096;1024,784,8192;2048,64,16384;4096,784,32768"
step 3-issue-sizes 50 OPENBLAS_NUM_THREADS="$all" NGD_BLAS_CORE=auto -- bench --sizes "$sizes" --repeats 3 $gram_parts --json
# OpenBLAS's idle workers spin (sched_yield) for 2^28 cycles after each threaded call, beside the pool's
# popcount and tile threads; with the timeout at 2^20 they sleep almost at once (OpenBLAS reads it when it loads).
step 4-gram-thread-timeout 30 OPENBLAS_THREAD_TIMEOUT=20 NGD_BLAS_CORE=auto -- bench --sizes 2048,64,16384 --repeats 3 --threads "1,$all" $gram_parts --json

# A compact table of what matters, if python3 is there (the JSON files are the record either way).
if command -v python3 > /dev/null; then
    python3 - "$out" <<'PY' | tee -a "$summary"
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
for path in sorted(out.glob("*.json")):
    try:
        entries = json.loads(path.read_text())
    except ValueError:
        print(f"{path.name}: no complete JSON"); continue
    for e in entries:
        t = e["timings"]
        print(f"{path.stem:18} n={e['n']:<5} d={e['d']:<4} m={e['m']:<6} threads={e['blas_threads']:<3} core={e['blas_core']:<10} "
              f"gram={e['gram_ms']:7.1f} ms (CPU {t['gram']['cpu_median_ms']:7.1f})  "
              f"ngd_step={e['ngd_step_ms']:7.1f} ms (CPU {t['ngd_step']['cpu_median_ms']:7.1f})  "
              f"load {e['load_average_start']:.1f}  kernel={e['popcount_kernel']}"
              + (f"  [{e['blas_core_choice']}]" if e.get('blas_core_choice') else ""))
    last = entries[-1] if entries else {}
    for row in last.get("thread_scaling") or []:   # one size per scaling step: its table rides on every run
        print(f"    scaling {row['operation']:14} {row['threads']:>3} threads {row['median_ms']:9.1f} ms "
              f"x{row['speedup']:5.2f} ({100 * row['efficiency']:.0f} %)")
PY
fi
log "done"
