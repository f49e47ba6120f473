#!/bin/bash
# brine's benchmark, one command: builds build-bench (release) if needed and
# runs bench/run.py, which generates the workloads and times brine, Python
# joblib, numpy, cereal and the codec CLIs side by side.
#   bash bench/run.sh            full run (~30 min on a loaded 2-core machine)
#   bash bench/run.sh --quick    small subset (~2-3 min)
#   bash bench/run.sh --help     all options
# Needs: Debian's /usr/bin/python3 with python3-joblib and python3-numpy
# (python3-lz4 for joblib's lz4), libcereal-dev, and the codec CLIs
# (zstd, lz4, isal's igzip, pigz) for the reference rows.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" --buildtype=release -Dtests=false -Dbench=true --wrap-mode=nodownload >/dev/null
fi
ninja -C "$build" -j2 >/dev/null
exec /usr/bin/python3 "$root/bench/run.py" --build "$build" "$@"
