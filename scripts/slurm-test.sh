#!/usr/bin/env bash
# `make test-slurm`: ngd's Slurm path on a real one-node cluster (scripts/slurm-test-cluster.sh). A 24-run spec
# goes through `--slurm --submit --shards 4` and must equal a local run byte for byte and pass `ngd verify`; one
# array task cancelled must leave no report and a named shard, and re-submitting must train only that shard's runs.
# SLURM_TEST_PAPER=1 adds `ngd paper --quick --slurm --submit` against a local quick paper (minutes).
# Prints "N passed, M failed" last; exits 1 if any check failed. KEEP_WORK=1 keeps the work directory (logs, scripts).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NGD=${NGD:-$ROOT/.build/debug/ngd}
WORK=$(mktemp -d /tmp/ngd-slurm-test-work.XXXXXX)
export SLURM_TEST_DIR=${SLURM_TEST_DIR:-/tmp/ngd-slurm-test}
export OPENBLAS_NUM_THREADS=1
passed=0; failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi; }
finish() {
    "$ROOT/scripts/slurm-test-cluster.sh" stop; [ -n "${KEEP_WORK:-}" ] && echo "work kept in $WORK" || rm -rf "$WORK"
    echo "$passed passed, $failed failed"; [ "$failed" = 0 ] && exit 0 || exit 1
}
trap finish EXIT

[ -x "$NGD" ] || { echo "no ngd at $NGD (swift build first)"; failed=1; exit 1; }
eval "$("$ROOT/scripts/slurm-test-cluster.sh" start)" || { failed=1; exit 1; }

# Waits (bounded) until none of the given jobs is in the queue.
wait_jobs() {
    local deadline=$((SECONDS + ${2:-180}))
    while [ $SECONDS -lt $deadline ]; do
        [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
        sleep 1
    done
    echo "jobs $1 still queued after ${2:-180}s"; squeue; return 1
}
# The job ids from ngd's "submitted array job A (…) and assembly job B" line.
ids() { sed -n 's/^submitted array job \([0-9]*\) .* assembly job \([0-9]*\) .*/\1 \2/p' "$1"; }
same_report() { diff -r -x timing.json -x cluster.json "$1" "$2" >/dev/null; }
trained_in_logs() { cat "$1"/shard-*.out | sed -n 's/^shard [0-9]*\/[0-9]*: \([0-9]*\) trained.*/\1/p' | paste -sd+ | bc; }

cd "$WORK"
cat > sweep.yaml <<'SPEC'
title: Slurm sweep
description: 24 tiny NGD runs (4 widths × 6 seeds) for the Slurm test cluster.
seed: 1
datasets:
  sphere: {kind: synthetic, n: 8, d: 4, outputs: 1}
models:
  net: {width: 32}
optimizers:
  ngd: {kind: ngd, lr: 0.5}
runs: []
sweeps:
  - {id: widths, label: NGD, dataset: sphere, model: net, optimizer: ngd, steps: 5,
     over: {width: [16, 32, 64, 128], seed: [1, 2, 3, 4, 5, 6]}}
SPEC
"$NGD" report sweep.yaml --out local --quiet

# 1. The whole array.
"$NGD" report sweep.yaml --out cluster --slurm --submit --shards 4 > submit.txt
read -r array assembly < <(ids submit.txt)
check "submitted an array and an assembly job" test -n "${assembly:-}"
wait_jobs "$array,$assembly"
logs=.cluster.slurm/logs
check "4 array tasks ran (one log each, 24 runs trained in all)" \
    test "$(ls $logs/shard-*.out | wc -l)" = 4 -a "$(grep -l '^shard [0-3]/4: 6 trained' $logs/shard-*.out | wc -l)" = 4
check "assembled report equals the local one byte for byte" same_report local cluster
check "ngd verify passes on the assembled report" "$NGD" verify cluster --quiet
check "cluster.json names the scheduler, the jobs and the node" \
    grep -q "\"array_job_id\" : \"$array\"" cluster/cluster.json
check "the assembly trained nothing" grep -q '"runs_trained" : 0' cluster/timing.json

# 2. One task cancelled: no report, the shard named; re-submitting trains only that shard's runs.
"$NGD" report sweep.yaml --out faulty --slurm --submit --shards 4 --sbatch-arg=--hold > submit2.txt
read -r array assembly < <(ids submit2.txt)
scancel "${array}_2"; scontrol release "$array" "$assembly"
wait_jobs "$array,$assembly"
logs=.faulty.slurm/logs
check "no report after a cancelled task" test ! -e faulty
check "the assembly names the failed shard and its log" \
    grep -q "shard 2/4 (log $WORK/$logs/shard-2.err)" $logs/assemble.err
"$NGD" report sweep.yaml --out faulty --slurm --submit --shards 4 > submit3.txt
read -r array assembly < <(ids submit3.txt)
wait_jobs "$array,$assembly"
check "re-submitted: only the cancelled shard's 6 runs were trained" test "$(trained_in_logs $logs)" = 6
check "re-submitted report equals the local one" same_report local faulty

# 3. The paper (optional: minutes).
if [ "${SLURM_TEST_PAPER:-0}" = 1 ]; then
    "$NGD" paper --quick --out paper-local --quiet > /dev/null
    "$NGD" paper --quick --out paper-cluster --quiet --slurm --submit --shards 4 > submit4.txt
    read -r array assembly < <(ids submit4.txt)
    wait_jobs "$array,$assembly" 900
    check "paper: assembled claims equal the local run's" cmp -s paper-local/data/claims.json paper-cluster/data/claims.json
    check "paper: assembled report equals the local one" same_report paper-local paper-cluster
    cat .paper-cluster.slurm/logs/shard-*.out
    echo "paper: the assembly trained $(sed -n 's/.*"runs_trained" : \([0-9]*\).*/\1/p' paper-cluster/timing.json) run(s)"
fi
