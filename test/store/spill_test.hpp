// Shared by the spill store tests: a scratch directory per test, arrays of a
// given size, and a look at a store's segment files.
#pragma once

#include <brine/brine.hpp>

#include <doctest/doctest.h>
#include <xtensor/xbuilder.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace spill_test {

namespace fs = std::filesystem;

// A fresh directory, removed with everything in it at the end of the test.
struct scratch {
    fs::path path;
    scratch() {
        static int n = 0;
        const char* t = std::getenv("TMPDIR");
        path = fs::path(t && *t ? t : "/tmp") / ("brine-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path operator/(const std::string& s) const { return path / s; }
};

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

}  // namespace spill_test
