#!/usr/bin/env bash
# Runs every libFuzzer harness in Fuzz/ for SECONDS seconds each (default 60), starting from the seed corpus in
# Fuzz/corpus/<target>. New crashing inputs land in Fuzz/artifacts/; add each to Fuzz/corpus as a regression case.
set -euo pipefail
seconds=${1:-60}
cd "$(dirname "$0")/../Fuzz"
swift build -c debug --sanitize=fuzzer --sanitize=address 2>&1 | tail -1
bin=$(swift build -c debug --sanitize=fuzzer --sanitize=address --show-bin-path)
mkdir -p artifacts work
status=0
for target in FuzzIDX FuzzCSV FuzzGzip; do
  seeds="corpus/$(echo "${target#Fuzz}" | tr '[:upper:]' '[:lower:]')"
  work="work/$target"; mkdir -p "$work"
  echo "== $target for ${seconds}s (seeds: $seeds)"
  if ! "$bin/$target" "$work" "$seeds" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 \
       -artifact_prefix="artifacts/$target-" -print_final_stats=1 2>"work/$target.log"; then
    echo "   CRASH — see Fuzz/work/$target.log and Fuzz/artifacts/"; status=1
  else
    grep -E "stat::number_of_executed_units|Done" "work/$target.log" | tail -2 | sed 's/^/   /'
  fi
done
exit $status
