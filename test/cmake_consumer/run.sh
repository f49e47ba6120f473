#!/usr/bin/env bash
# CMake consumer check: `meson install` this build into a temporary prefix,
# then configure, build and run project/ with CMake, finding brine through
# find_package(brine CONFIG) and linking brine::brine.
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

"$cmake" -S "$here/project" -B "$work/build" -Dbrine_DIR="$config" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$work/build" -- -j2 >/dev/null
"$work/build/consumer" "$work"
