// Shared by the spill store tests: a scratch directory per test, arrays of a
// given size, and a look at a store's segment files.
#pragma once

#include "../common/files.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>
#include <xtensor/xbuilder.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace brine::test {

namespace fs = std::filesystem;

// n float64 elements, element i = i + seed.
inline brine::array<double> doubles(std::size_t n, double seed = 0) {
    return brine::array<double>(xt::arange<double>(seed, seed + static_cast<double>(n)));
}

inline std::uint64_t segment_bytes(const fs::path& dir) {
    std::uint64_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".bss") n += e.file_size();
    return n;
}

inline constexpr std::uint64_t MiB = 1ull << 20;

}  // namespace brine::test
