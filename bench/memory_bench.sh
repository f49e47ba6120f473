#!/bin/sh
# brine::memory and joblib.Memory side by side (docs/performance.md, "Memoization").
# Usage: bench/memory_bench.sh [hash_mb=1024] [array_mb=400]   (from the source root, build in build/)
set -e
hash_mb=${1:-1024}
array_mb=${2:-400}
dir=${TMPDIR:-/tmp}/brine-memory-bench-$$
echo "== brine::memory"
build/bench/memory_bench "$dir-brine" "$hash_mb" "$array_mb"
echo "== joblib.Memory $(/usr/bin/python3 -c 'import joblib; print(joblib.__version__)')"
/usr/bin/python3 bench/memory_bench.py "$dir-joblib" "$hash_mb" "$array_mb"
