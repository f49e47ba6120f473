#!/usr/bin/env bash
# Installs what brine needs on Debian (bookworm): build tools, the codec
# libraries, xtensor, doctest, the codec CLIs the tests compare against, and
# Python joblib/numpy for the interop tests and the benchmark, libsodium for
# age encryption, pybind11 for the Python module and cmake for its package test.
set -euo pipefail
packages=(
  meson ninja-build pkg-config g++
  zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev libxxhash-dev libdeflate-dev libisal-dev
  libxtensor-dev xtl-dev doctest-dev
  gzip bzip2 xz-utils zstd lz4 pigz
  python3 python3-numpy python3-joblib python3-lz4 libcereal-dev isal
  # age encryption (libsodium), the Python module, the CMake package test
  libsodium-dev pybind11-dev python3-dev cmake
  # tests and benchmarks only: real scikit-learn/pandas pickles, pytest, the
  # age tool, the spill-map and frozen-map anchors (zict, dask, LMDB, CDB, marisa)
  python3-sklearn python3-pandas python3-pytest python3-zict python3-distributed
  age liblmdb-dev libcdb-dev libmarisa-dev
)
[ "${BRINE_FUZZ:-0}" = 1 ] && packages+=(clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
