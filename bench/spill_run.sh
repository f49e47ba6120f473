#!/usr/bin/env bash
# brine::spill_map and zict (as dask wires it) side by side, one process per
# workload and implementation (docs/performance.md, "Spill map").
#
#   bash bench/spill_run.sh [TOTAL_MiB BUDGET_MiB COUNT]   (default 512 128 200000)
#
# The issue's full scale is: bash bench/spill_run.sh 4096 1024 1000000
# Environment: BRINE_BUILD (default build), SPILL_DIR (default $TMPDIR or /tmp).
# Each run starts after `sync`: the previous run's gigabytes of dirty pages
# would otherwise be written back during the next one, on the same 2 cores
# and disk, and slow whichever implementation comes second.
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-512} budget=${2:-128} count=${3:-200000}
build=${BRINE_BUILD:-build}
scratch=${SPILL_DIR:-${TMPDIR:-/tmp}}/brine-spill-bench-$$
trap 'rm -rf "$scratch"' EXIT
ninja -C "$build" bench/spill_bench >/dev/null
for impl in brine zict; do
  for w in "arrays $total $budget" "small $count 16"; do
    rm -rf "$scratch"; mkdir -p "$scratch"; sync
    if [ $impl = brine ]; then "$build/bench/spill_bench" $w "$scratch/store"
    else /usr/bin/python3 bench/spill_zict.py $w "$scratch/store"; fi
  done
done
