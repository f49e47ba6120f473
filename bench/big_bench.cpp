// Large-file measurements (issue 2 section 5, issue 3 section 7), one per
// process, driven by bench/run.py:
//
//   big_bench make      FILE MIB CODEC THREADS   dump {"big": float64[MIB MiB], "small": float64[1000]}
//   big_bench load      FILE THREADS             load it into xt::xtensor (constant-memory check)
//   big_bench mmap      FILE                     load with mmap_mode::read_only into brine::array<const double>
//   big_bench open-last FILE THREADS             brine::open(FILE)["small"].load<std::vector<double>>()
//
// "big" comes first, "small" last: the small entry sits at the end of the
// file, after MIB MiB of array data. The big array holds a pattern with a
// 512 KiB period (i % 65536 / 2), compressible and fast for every codec, so
// that multi-GiB compressed files can be made in seconds; these runs measure
// memory and access paths, not ratios.
#include "measure.hpp"

#include <brine/brine.hpp>
#include <brine/types/brine_array.hpp>

#include <xtensor/xtensor.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace {

struct big_t {
    xt::xtensor<double, 1> big;
    std::vector<double> small;
};
BRINE_FIELDS(big_t, big, small)

struct big_mapped_t {
    brine::array<const double> big;
    std::vector<double> small;
};
BRINE_FIELDS(big_mapped_t, big, small)

double pattern(std::size_t i) { return static_cast<double>(i % 65536) * 0.5; }
std::vector<double> small_entry() {
    std::vector<double> v(1000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 / static_cast<double>(i + 1);
    return v;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 3) {
        std::fprintf(stderr, "usage: big_bench make FILE MIB CODEC THREADS | load FILE THREADS | mmap FILE | open-last FILE THREADS\n");
        return 2;
    }
    const std::string op = argv[1], file = argv[2];
    if (op == "make") {
        const std::size_t n = (std::stoull(argv[3]) << 20) / sizeof(double);
        big_t b;
        b.big = xt::xtensor<double, 1>::from_shape({n});
        for (std::size_t i = 0; i < n; ++i) b.big(i) = pattern(i);
        b.small = small_entry();
        brine::dump_options opt;
        opt.codec = brine::codec_from_name(argv[4]);
        opt.threads = static_cast<unsigned>(std::stoul(argv[5]));
        bench::measurement m;
        brine::dump(b, file, opt);
        m.stop();
        bench::report(m, "size=" + std::to_string(std::filesystem::file_size(file)) +
                             " data=" + std::to_string(n * sizeof(double)));
    } else if (op == "load") {
        const unsigned threads = static_cast<unsigned>(std::stoul(argv[3]));
        bench::measurement m;
        auto b = brine::load<big_t>(file, {.threads = threads});
        m.stop();
        const std::size_t n = b.big.size();
        const bool ok = n > 0 && b.big(n - 1) == pattern(n - 1) && b.small == small_entry();
        bench::report(m, std::string("ok=") + (ok ? "1" : "0") + " data=" + std::to_string(n * sizeof(double)));
    } else if (op == "mmap") {
        bench::measurement m;
        auto b = brine::load<big_mapped_t>(file, {.mmap = brine::mmap_mode::read_only});
        m.stop();
        const bool ok = b.big.size() > 0 && b.small == small_entry();  // touches no page of "big"
        bench::report(m, std::string("ok=") + (ok ? "1" : "0") + " data=" + std::to_string(b.big.size() * sizeof(double)));
    } else if (op == "open-last") {
        const unsigned threads = static_cast<unsigned>(std::stoul(argv[3]));
        bench::measurement m;
        auto a = brine::open(file, {.threads = threads});
        auto t1 = std::chrono::steady_clock::now();
        auto v = a["small"].load<std::vector<double>>();
        const double entry_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
        m.stop();
        char buf[64];
        std::snprintf(buf, sizeof buf, "entry_s=%.6f", entry_s);
        bench::report(m, std::string("ok=") + (v == small_entry() ? "1" : "0") + " " + buf);
    } else {
        return 2;
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "big_bench: %s\n", e.what());
    return 1;
}
