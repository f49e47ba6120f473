#!/usr/bin/env bash
# CMake consumer check: `meson install` this build into a temporary prefix,
# then configure, build and run project/ with CMake, finding brine through
# find_package(brine CONFIG) and linking brine::brine. Also imports the
# installed Python module from the staged site-packages.
#
# usage: run.sh BRINE_BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BRINE_BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
meson=${MESON:-meson}
cmake=${CMAKE:-cmake}
command -v "$cmake" >/dev/null || { echo "run.sh: cmake not found, skipping"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/brine-cmake-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT

# DESTDIR keeps the configured prefix out of the real system: the package
# config locates everything relative to itself, so the tree works anywhere.
"$meson" install -C "$build" --no-rebuild --quiet --destdir "$work/stage" >/dev/null
config=$(find "$work/stage" -name brineConfig.cmake -printf '%h\n' | head -n1)
[ -n "$config" ] || { echo "run.sh: no brineConfig.cmake was installed" >&2; exit 1; }
[ -f "$config/brineConfigVersion.cmake" ] || { echo "run.sh: no brineConfigVersion.cmake" >&2; exit 1; }
echo "run.sh: brine's package config in ${config#"$work/stage"}"

# The Python module, when built, lands in that Python's site-packages and
# imports from there (its rpath finds the installed libbrine).
module=$(find "$work/stage" -name '_brine.*.so' | head -n1)
if [ -n "$module" ]; then
    site=$(dirname "$(dirname "$module")")
    echo "run.sh: Python module in ${site#"$work/stage"}"
    LD_LIBRARY_PATH="$config/../.." PYTHONPATH="$site" /usr/bin/python3 -c '
import sys, brine
assert brine.__file__.startswith(sys.argv[1]), brine.__file__
brine.dump({"t": (1, 2)}, sys.argv[2] + "/py.brine")
assert brine.load(sys.argv[2] + "/py.brine") == {"t": (1, 2)}
' "$site" "$work"
fi

"$cmake" -S "$here/project" -B "$work/build" -Dbrine_DIR="$config" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$work/build" -- -j2 >/dev/null
"$work/build/consumer" "$work"
