#!/bin/bash
# Loads the same files with two builds' bench/brine_bench, alternating
# (A, B, A, B...) so both see the same machine load, and prints the best and
# median seconds of each side and their ratios (B / A).
#   bash bench/ab_load.sh A/build-bench B/build-bench [runs]
# The workload files are written once by A into $BRINE_AB_DIR (default
# /tmp/brine-ab): W1, W2, W3 uncompressed, W1 with zstd and W3 with gzip.
set -euo pipefail
a=$1/bench/brine_bench b=$2/bench/brine_bench runs=${3:-9}
dir=${BRINE_AB_DIR:-/tmp/brine-ab}
mkdir -p "$dir"
for spec in "W1 none" "W2 none" "W3 none" "W1 zstd" "W3 gzip"; do
  set -- $spec
  ext=""; [ "$2" = zstd ] && ext=.zst; [ "$2" = gzip ] && ext=.gz
  [ -f "$dir/$1.brine$ext" ] || "$a" dump "$1" "$dir/$1.brine$ext" "$2" 2 >/dev/null
done
seconds() { "$1" load "$2" "$3" "$4" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }
for spec in "W1 .brine 1" "W1 .brine 2" "W2 .brine 1" "W2 .brine 2" "W3 .brine 1" "W3 .brine 2" "W1 .brine.zst 1" "W3 .brine.gz 2"; do
  set -- $spec
  for _ in $(seq "$runs"); do
    echo "$1$2 $3 A $(seconds "$a" "$1" "$dir/$1$2" "$3")"
    echo "$1$2 $3 B $(seconds "$b" "$1" "$dir/$1$2" "$3")"
  done
done | /usr/bin/python3 -c '
import collections, statistics, sys
d = collections.defaultdict(list)
for line in sys.stdin:
    f, t, side, s = line.split()
    d[(f, t, side)].append(float(s))
print("| file | threads | A best s | B best s | B/A best | B/A median |")
print("|---|---|---|---|---|---|")
for f, t in dict.fromkeys((k[0], k[1]) for k in d):
    a, b = d[(f, t, "A")], d[(f, t, "B")]
    print("| %s | %s | %.4f | %.4f | %.3f | %.3f |" % (f, t, min(a), min(b), min(b) / min(a), statistics.median(b) / statistics.median(a)))
'
