// brine::spill_map against zict (bench/spill_zict.py), one workload per
// process so that peak RSS is the workload's own. bench/spill_run.sh runs
// both side by side; docs/performance.md ("Spill map") has the figures.
//
//   spill_bench arrays TOTAL_MiB BUDGET_MiB DIR   (a) 8 MiB float64 arrays
//   spill_bench small  COUNT     BUDGET_MiB DIR   (b) ~100-byte entries
//
// Prints one JSON object per phase: workload, phase, seconds, MiB/s (or
// entries/s), peak RSS and bytes written so far.
#include <brine/brine.hpp>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <sys/resource.h>

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

void report(const char* workload, const char* phase, double seconds, double amount, const char* unit, std::uint64_t written) {
    std::printf("{\"impl\": \"brine\", \"workload\": \"%s\", \"phase\": \"%s\", \"seconds\": %.3f, \"%s\": %.1f, \"peak_rss_mib\": %.1f, "
                "\"bytes_written\": %llu}\n",
                workload, phase, seconds, unit, amount / seconds, peak_rss_kib() / 1024.0, static_cast<unsigned long long>(written));
    std::fflush(stdout);
}

int arrays(std::uint64_t total_mib, std::uint64_t budget_mib, const std::string& dir) {
    const std::size_t elements = (8u << 20) / 8;
    const std::size_t n = static_cast<std::size_t>(total_mib / 8);
    brine::spill_map<std::string, brine::array<double>> m(
        brine::spill_options{.memory_limit = budget_mib << 20, .directory = dir});
    double t = now();
    for (std::size_t i = 0; i < n; ++i)
        m.insert_or_assign("x" + std::to_string(i), brine::array<double>(xt::arange<double>(double(i), double(i + elements))));
    report("arrays", "write", now() - t, double(total_mib), "MiB/s", m.stats().bytes_written);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::reverse(order.begin(), order.end());  // LRU-friendly: the newest first
    double check = 0;
    t = now();
    for (auto i : order) check += (*m.get("x" + std::to_string(i)))(1);
    report("arrays", "read_lru", now() - t, double(total_mib), "MiB/s", m.stats().bytes_written);
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    t = now();
    for (auto i : order) check += xt::sum(*m.get("x" + std::to_string(i)))();
    report("arrays", "read_random_sum", now() - t, double(total_mib), "MiB/s", m.stats().bytes_written);
    return check > 0 ? 0 : 1;
}

// The i-th key of a random-looking read order over [0, count): i * step +
// 1 mod count, with step coprime to count near 0.618 * count (count < 2^32). It is computed,
// not stored, so the bench's own memory stays out of the store's peak RSS
// (a shuffled vector of 1 M indices is 8 MiB). bench/spill_zict.py reads
// in the same order.
struct scattered_order {
    std::uint64_t count, step;
    explicit scattered_order(std::uint64_t n) : count(n), step(std::max<std::uint64_t>(1, n * 618 / 1000)) {
        while (std::gcd(step, count) != 1) --step;
    }
    std::uint64_t operator[](std::uint64_t i) const { return (i * step + 1) % count; }  // count < 2^32: no overflow
};

int small(std::uint64_t count, std::uint64_t budget_mib, const std::string& dir) {
    brine::spill_map<std::string, std::string> m(brine::spill_options{.memory_limit = budget_mib << 20, .directory = dir});
    std::string value(100, 'v');
    double t = now();
    for (std::uint64_t i = 0; i < count; ++i) {
        std::snprintf(value.data(), 16, "%015llu", static_cast<unsigned long long>(i));
        m.insert_or_assign("k" + std::to_string(i), value);
    }
    report("small", "write", now() - t, double(count), "entries/s", m.stats().bytes_written);
    const scattered_order order(count);
    std::size_t bad = 0;
    t = now();
    for (std::uint64_t n = 0; n < count; ++n) {
        const auto i = order[n];
        bad += (*m.get("k" + std::to_string(i)))[14] != char('0' + i % 10);
    }
    report("small", "read_random", now() - t, double(count), "entries/s", m.stats().bytes_written);
    return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s arrays TOTAL_MiB BUDGET_MiB DIR | small COUNT BUDGET_MiB DIR\n", argv[0]);
        return 2;
    }
    const std::string what = argv[1];
    const auto a = std::stoull(argv[2]), b = std::stoull(argv[3]);
    return what == "arrays" ? arrays(a, b, argv[4]) : small(a, b, argv[4]);
}
