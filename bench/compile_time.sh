#!/usr/bin/env bash
# What including all of brine costs a translation unit, against including
# only the headers a program uses (docs/guide.md, "Types"): the same program
# (dump and load a std::vector<double>) compiled both ways, alternately,
# at -O0 and -O2; prints the best of 3 for each.
#
#   bash bench/compile_time.sh [CXX]    (default g++)
set -euo pipefail
cd "$(dirname "$0")/.."
cxx=${1:-g++}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
body='int main() {
    std::vector<double> v{1, 2, 3};
    brine::dump(v, "x.brine");
    return brine::load<std::vector<double>>("x.brine").size() == 3 ? 0 : 1;
}'
printf '#include <brine/brine.hpp>\n%s\n' "$body" > "$dir/all.cpp"
printf '#include <brine/api/dump.hpp>\n#include <brine/api/load.hpp>\n#include <brine/types/vector.hpp>\n%s\n' "$body" > "$dir/lean.cpp"
echo "| headers | xtensor headers included | -O0 s | -O2 s |"
echo "|---|---|---|---|"
declare -A best
for opt in -O0 -O2; do
  for run in 1 2 3; do
    for tu in all lean; do
      start=$(date +%s.%N)
      "$cxx" -std=c++20 "$opt" -Iinclude -c "$dir/$tu.cpp" -o "$dir/$tu.o"
      t=$(echo "$(date +%s.%N) - $start" | bc)
      key="$tu$opt"
      if [ -z "${best[$key]:-}" ] || (( $(echo "$t < ${best[$key]}" | bc) )); then best[$key]=$t; fi
    done
  done
done
for tu in all lean; do
  n=$("$cxx" -std=c++20 -Iinclude -H -fsyntax-only "$dir/$tu.cpp" 2>&1 | grep -c '/xtensor/' || true)
  name=$([ $tu = all ] && echo '`<brine/brine.hpp>`' || echo '`api/dump.hpp`, `api/load.hpp`, `types/vector.hpp`')
  printf '| %s | %s | %.2f | %.2f |\n' "$name" "$n" "${best[$tu-O0]}" "${best[$tu-O2]}"
done
