#!/usr/bin/env bash
# What `ngd verify` says on "another machine" that this one can imitate: the report is made once with the default
# environment, then re-run and compared (1) with OPENBLAS_NUM_THREADS changed and (2) with OPENBLAS_CORETYPE set to
# another kernel set the CPU supports. Never part of the tests or CI (they keep one thread and the detected core).
#
#   benchmarks/verify-across-kernels.sh NGD OUT_DIR [CORE] -- REPORT-COMMAND-ARGS...
#
# NGD: the ngd executable; OUT_DIR: where the report and the logs go; CORE: the other OpenBLAS core (default
# Haswell, which needs avx2 in /proc/cpuinfo); the rest: what `ngd` is given to make the report, without --out,
# e.g. `report examples/ngd-vs-gd.yaml` or `paper --quick`. Prints per comparison the level with the files' outcomes,
# the number closest to its default and to its declared tolerance, and the largest relative deviation of any number
# (from `ngd verify --json`, kept as verify-threads.json and verify-core.json).
set -u
ngd=${1:?usage: verify-across-kernels.sh NGD OUT_DIR [CORE] -- ARGS...}
out=${2:?usage: verify-across-kernels.sh NGD OUT_DIR [CORE] -- ARGS...}
shift 2
core=Haswell
if [ "${1:-}" != "--" ]; then core=$1; shift; fi
[ "${1:-}" = "--" ] && shift
case $core in
    Haswell|Zen) flag=avx2 ;;
    SkylakeX|Cooperlake) flag=avx512f ;;
    *) flag= ;;
esac
if [ -n "$flag" ] && ! grep -qw "$flag" /proc/cpuinfo; then
    echo "verify-across-kernels: this CPU lacks $flag, which OpenBLAS's $core kernels need" >&2
    exit 2
fi
mkdir -p "$out"
report="$out/report"
echo "making $report: ngd $* (default environment)"
env -u OPENBLAS_NUM_THREADS -u OPENBLAS_CORETYPE "$ngd" "$@" --out "$report" --quiet > "$out/make.log" 2>&1 \
    || { cat "$out/make.log"; exit 1; }
default_threads=$(python3 -c "import json;print(json.load(open('$report/manifest.json'))['provenance']['compute']['blas_threads'])")
other_threads=$(( default_threads == 1 ? 2 : 1 ))

summarise() {
    python3 - "$1" "$2" <<'PY'
import collections, json, sys
name, path = sys.argv[1], sys.argv[2]
found = json.load(open(path))
comparison = found.get("comparison") or {}
files = comparison.get("files", [])
counts = collections.Counter(f["outcome"] for f in files)
drawn = sum(1 for f in files if f.get("drawn_from"))
outcomes = ", ".join(f"{n} {o}" for o, n in sorted(counts.items()))
print(f"{name}: {found.get('level')}; {comparison.get('identical_files', 0)} files identical, {outcomes}"
      + (f" ({drawn} drawings by their data)" if drawn else ""))
# How close the data came to their allowance, apart for the default and the declared tolerances.
data = [f for f in files if f.get("largest") and f["path"].split(" ")[0].rsplit(".", 1)[-1] in ("json", "csv")]
for declared in (False, True):
    group = [f for f in data if bool(f.get("declared_reason")) == declared]
    if group:
        worst = max(group, key=lambda f: f["largest"]["tolerance_used"])
        largest = worst["largest"]
        print(f"  closest to its {'declared' if declared else 'default'} tolerance: "
              f"{100 * largest['tolerance_used']:.3g} % of it, {worst['path']}: {largest['location']} "
              f"({largest['recorded']!r} → {largest['rerun']!r}, relative {largest['relative']:.3g})")
biggest = max(files, key=lambda f: f.get("largest_relative") or 0, default=None)
if biggest and biggest.get("largest_relative"):
    print(f"  largest relative deviation of any number: {biggest['largest_relative']:.3g} in {biggest['path']} "
          f"({biggest['outcome']}: a number near 0 or a ratio at the rounding floor when within its allowance)")
PY
}

for case in "threads:OPENBLAS_NUM_THREADS=$other_threads" "core:OPENBLAS_CORETYPE=$core"; do
    name=${case%%:*} setting=${case#*:}
    env -u OPENBLAS_NUM_THREADS -u OPENBLAS_CORETYPE "$setting" "$ngd" verify "$report" --quiet --json \
        > "$out/verify-$name.json" 2> "$out/verify-$name.err"
    status=$?
    echo "$(summarise "$setting (exit $status)" "$out/verify-$name.json")"
done | tee "$out/summary.txt"
