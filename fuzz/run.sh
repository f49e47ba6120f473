#!/usr/bin/env bash
# Builds the libFuzzer targets (if needed), makes their seed corpora, and runs
# every target for a bounded time, two at a time. Fails on any finding; the
# input that triggered it is copied to fuzz/regressions/<target>/, which the
# targets replay first on every run and test/reliability replays in the test
# suite (commit it together with the fix).
#
#   bash fuzz/run.sh [seconds-per-target]        (default 60)
#
# Environment: BRINE_FUZZ_BUILD  build directory (default build-fuzz)
#              BRINE_FUZZ_JOBS   targets run at once (default 2)
#              BRINE_FUZZ_ONLY   space-separated subset of targets
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${BRINE_FUZZ_BUILD:-build-fuzz}
parallel=${BRINE_FUZZ_JOBS:-2}

if [ ! -f "$build/build.ninja" ]; then
  CXX=clang++ meson setup "$build" --wrap-mode=nodownload -Dfuzz=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dtests=false -Dbench=false
fi
# Only the fuzz programs (and libbrine under them): the CLI and examples are not needed.
mapfile -t programs < <(ninja -C "$build" -t targets all | sed -n 's/^\(fuzz\/[a-z0-9_]*\): cpp_LINKER$/\1/p')
ninja -C "$build" -j"$parallel" "${programs[@]}"

targets=()
for p in "${programs[@]}"; do
  case $p in fuzz/fuzz_*) targets+=("${p#fuzz/fuzz_}") ;; esac
done
[ -n "${BRINE_FUZZ_ONLY:-}" ] && read -r -a targets <<<"$BRINE_FUZZ_ONLY"

work=$build/fuzz-run
rm -rf "$work/seeds" "$work/status" "$work/logs" "$work/artifacts"
mkdir -p "$work/seeds" "$work/status" "$work/logs" "$work/artifacts" "$work/corpus"
"$build/fuzz/make_corpus" "$work/seeds"

dictionary_for() {
  case $1 in
    load_*|open_*|frozen_map) echo fuzz/brine.dict ;;
    joblib) echo fuzz/pickle.dict ;;
    npy) echo fuzz/npy.dict ;;
    npz) echo fuzz/npz.dict ;;
  esac
}

run_target() {
  local name=$1
  local corpus=$work/corpus/$name seeds=$work/seeds/$name artifacts=$work/artifacts/$name/ regressions=fuzz/regressions/$name
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
              # One allocation above the decoders' documented caps (xz/lzma 1 GiB
              # memlimit, zstd 128 MiB window) on a tiny input is a finding.
              -malloc_limit_mb=1100
              -artifact_prefix="$artifacts" -print_final_stats=1)
  local dict; dict=$(dictionary_for "$name")
  [ -n "$dict" ] && args+=(-dict="$dict")
  local dirs=("$corpus")
  [ -d "$seeds" ] && dirs+=("$seeds")
  [ -d "$regressions" ] && dirs+=("$regressions")
  mkdir -p "$corpus" "$artifacts"
  local start=$SECONDS
  if "$build/fuzz/fuzz_$name" "${args[@]}" "${dirs[@]}" >"$work/logs/$name.log" 2>&1; then
    echo "ok    $name ($((SECONDS - start)) s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/logs/$name.log" | grep -o '[0-9]*$') runs)"
    echo ok >"$work/status/$name"
  else
    mkdir -p "$regressions"
    for f in "$artifacts"*; do [ -f "$f" ] && cp "$f" "$regressions/"; done
    echo "FAIL  $name: see $work/logs/$name.log; inputs copied to $regressions/"
    grep -m1 -A12 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|out-of-memory|timeout' "$work/logs/$name.log" || tail -20 "$work/logs/$name.log"
    echo fail >"$work/status/$name"
  fi
}

echo "fuzzing ${#targets[@]} targets for $seconds s each, $parallel at a time"
for name in "${targets[@]}"; do
  run_target "$name" &
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
done
wait

failed=$(grep -l fail "$work"/status/* 2>/dev/null | xargs -r -n1 basename || true)
if [ -n "$failed" ]; then
  echo "fuzzing found problems in: $failed" >&2
  exit 1
fi
echo "fuzzing: no findings"
