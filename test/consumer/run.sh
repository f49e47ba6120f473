#!/usr/bin/env bash
# Downstream-consumer check: configure, build and run the tiny project in
# project/ in a temporary directory, the way a user's project would use brine.
#
# usage: run.sh BRINE_SOURCE_ROOT                 brine as a Meson subproject
#        run.sh BRINE_SOURCE_ROOT BRINE_BUILD_DIR brine through the build tree's
#                                                 meson-uninstalled/brine-uninstalled.pc
#
# Subproject mode symlinks subprojects/brine -> BRINE_SOURCE_ROOT inside the
# temporary copy (never in the repository) and forces the fallback, so
# dependency('brine') is satisfied by meson.override_dependency('brine', ...).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 BRINE_SOURCE_ROOT [BRINE_BUILD_DIR]" >&2; exit 2; }
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
meson=${MESON:-meson}

work=$(mktemp -d "${TMPDIR:-/tmp}/brine-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$here/project" "$work/project"

if [ $# -ge 2 ]; then
    build=$(cd "$2" && pwd)
    pcdir=$build/meson-uninstalled
    [ -f "$pcdir/brine-uninstalled.pc" ] || { echo "run.sh: no $pcdir/brine-uninstalled.pc" >&2; exit 1; }
    echo "run.sh: brine from the uninstalled build tree $build"
    export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    export LD_LIBRARY_PATH="$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    "$meson" setup "$work/build" "$work/project" --wrap-mode=nofallback
else
    echo "run.sh: brine as a subproject of $src"
    mkdir -p "$work/project/subprojects"
    ln -s "$src" "$work/project/subprojects/brine"
    # Start from a clean pkg-config view so an installed brine.pc cannot win.
    env -u PKG_CONFIG_PATH "$meson" setup "$work/build" "$work/project" \
        --wrap-mode=nodownload --force-fallback-for=brine
fi

# Build only the consumer and what it needs (libbrine), not brine's tools.
ninja -C "$work/build" consumer
"$work/build/consumer" "$work"
