// brine::memory against joblib.Memory (bench/memory_bench.py runs the same
// calls in Python; bench/memory_bench.sh runs both side by side):
//   hash   argument-hashing throughput on float64 arrays (GB/s, best of 3)
//   hit    latency of a hit with a small result (median of many)
//   hitmap latency of a hit whose result is one large array, loaded by mmap
//   miss   cost of a miss beyond the function's own time (median)
// Usage: memory_bench DIR [hash_mb=1024] [array_mb=400]
#include <brine/brine.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <xxhash.h>
#if defined(__x86_64__) && __has_include(<xxh_x86dispatch.h>)
#include <xxh_x86dispatch.h>
#endif

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

brine::array<const double> filled(std::size_t n, double start) {
    auto a = brine::ndarray::zeros(brine::dtype::float64, {n});
    auto e = a.mutable_elements<double>();
    for (std::size_t i = 0; i < n; ++i) e[i] = start + static_cast<double>(i);
    return brine::array<const double>::from(a);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: memory_bench DIR [hash_mb] [array_mb]\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const std::size_t hash_mb = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1024;
    const std::size_t array_mb = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 400;
    std::filesystem::remove_all(dir);
    brine::memory cache(dir, {.mmap = brine::mmap_mode::read_only});

    {  // hash: four arrays making up hash_mb together, as one argument list
        const std::size_t n = hash_mb * (1u << 20) / 8 / 4;
        std::vector<brine::array<const double>> arrays;
        for (int i = 0; i < 4; ++i) arrays.push_back(filled(n, i));
        double best = 1e9;
        std::string key;
        for (int r = 0; r < 3; ++r) {
            const auto t = clock_type::now();
            key = brine::argument_key(arrays[0], arrays[1], arrays[2], arrays[3]);
            best = std::min(best, seconds_since(t));
        }
        // The same bytes through XXH3-128 in one call: the hash's own speed on this machine.
        const auto t = clock_type::now();
        std::uint64_t x = 0;
        for (const auto& a : arrays) x ^= XXH3_128bits(a.data(), a.size() * sizeof(double)).low64;
        const double raw = seconds_since(t);
        std::printf("RESULT op=raw_xxh3 mb=%zu seconds=%.4f gbps=%.2f check=%llx\n", hash_mb, raw,
                    static_cast<double>(hash_mb) * (1 << 20) / 1e9 / raw, static_cast<unsigned long long>(x));
        std::printf("RESULT op=hash mb=%zu seconds=%.4f gbps=%.2f key=%s\n", hash_mb, best,
                    static_cast<double>(hash_mb) * (1 << 20) / 1e9 / best, key.c_str());
    }
    {  // hit, small result
        auto f = cache.cache("small", "v1", [](int x) { return std::vector<double>(10, x); });
        f(1);
        std::vector<double> t;
        for (int i = 0; i < 2000; ++i) {
            const auto s = clock_type::now();
            const auto r = f(1);
            t.push_back(seconds_since(s));
            if (r.size() != 10) return 1;
        }
        std::printf("RESULT op=hit median_us=%.1f\n", median(t) * 1e6);
    }
    {  // hit, small result, without mmap (a mapped load opens the file twice)
        brine::memory plain(dir / "plain");
        auto f = plain.cache("small", "v1", [](int x) { return std::vector<double>(10, x); });
        f(1);
        std::vector<double> t;
        for (int i = 0; i < 2000; ++i) {
            const auto s = clock_type::now();
            const auto r = f(1);
            t.push_back(seconds_since(s));
            if (r.size() != 10) return 1;
        }
        std::printf("RESULT op=hit_nommap median_us=%.1f\n", median(t) * 1e6);
    }
    {  // hit, one large array by mmap
        const std::size_t n = array_mb * (1u << 20) / 8;
        auto f = cache.cache("large", "v1", [n](int x) { return filled(n, x); });
        f(1);
        std::vector<double> t;
        for (int i = 0; i < 50; ++i) {
            const auto s = clock_type::now();
            const auto r = f(1);
            t.push_back(seconds_since(s));
            if (!r.is_mapped() || r.size() != n) return 1;
        }
        std::printf("RESULT op=hitmap mb=%zu median_us=%.1f\n", array_mb, median(t) * 1e6);
    }
    {  // miss: a function that takes no time, new arguments each call
        auto f = cache.cache("miss", "v1", [](int x) { return std::vector<double>(10, x); });
        std::vector<double> t;
        for (int i = 0; i < 300; ++i) {
            const auto s = clock_type::now();
            f(1000 + i);
            t.push_back(seconds_since(s));
        }
        std::printf("RESULT op=miss median_us=%.1f\n", median(t) * 1e6);
    }
    std::filesystem::remove_all(dir);
}
