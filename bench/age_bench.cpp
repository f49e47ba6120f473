// The cost of age encryption (issue 16's bench): W1 dumped and loaded with
// zstd, with and without encryption to an X25519 recipient, side by side in
// one run, and the age tool encrypting the same .brine.zst bytes.
//
//   age_bench [N] [THREADS] [DIR]     N: W1's side (5000 = the full 400 MB)
//
// Each figure is the best of 3. Dumps are not durable (no fsync), so the
// disk does not drown the difference.
#include "measure.hpp"
#include "workloads.hpp"

#include <brine/crypto/age.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

namespace {

struct timing {
    double wall = 1e99, cpu = 1e99;  // best of 3 each; cpu: all threads of this process
};

timing best_of_3(const std::function<void()>& work) {
    timing best;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = bench::cpu_seconds();
        work();
        best.cpu = std::min(best.cpu, bench::cpu_seconds() - c0);
        best.wall = std::min(best.wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

void row(const char* what, timing t, const timing* base) {
    std::printf("  %-18s %7.3f s wall %7.3f s cpu", what, t.wall, t.cpu);
    if (base) std::printf("   (%+.1f %% wall, %+.1f %% cpu)", 100 * (t.wall / base->wall - 1), 100 * (t.cpu / base->cpu - 1));
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 5000;
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 2;
    const std::filesystem::path dir = argc > 3 ? argv[3] : std::filesystem::temp_directory_path();
    const auto w = bench::make_w1(n);
    const double mb = static_cast<double>(bench::data_bytes(w)) / 1e6;
    const auto identity = brine::age::generate_identity();
    const auto recipient = brine::age::recipient_of(identity);
    const auto plain = dir / "age_bench.brine.zst", sealed = dir / "age_bench.brine.zst.age";

    const timing dump_plain = best_of_3([&] { brine::dump(w, plain, {.threads = threads, .durable = false}); });
    const timing dump_sealed = best_of_3(
        [&] { brine::dump(w, sealed, {.threads = threads, .durable = false, .recipients = {recipient}}); });
    const timing load_plain = best_of_3([&] { (void)brine::load<bench::w1_t>(plain, {.threads = threads}); });
    const timing load_sealed =
        best_of_3([&] { (void)brine::load<bench::w1_t>(sealed, {.threads = threads, .identities = {identity}}); });
    const std::string tool = "age -r " + recipient + " -o '" + (dir / "age_bench.tool.age").string() + "' '" + plain.string() + "'";
    const timing age_tool = best_of_3([&] {
        if (std::system(tool.c_str()) != 0) std::fprintf(stderr, "age failed\n");
    });
    const double zst_mb = static_cast<double>(std::filesystem::file_size(plain)) / 1e6;
    std::printf("W1 n=%zu (%.0f MB of doubles, %.1f MB zstd), %u threads, best of 3\n", n, mb, zst_mb, threads);
    row("dump zstd", dump_plain, nullptr);
    row("dump zstd + age", dump_sealed, &dump_plain);
    row("load zstd", load_plain, nullptr);
    row("load zstd + age", load_sealed, &load_plain);
    std::printf("  age -r (the tool, encrypting the .brine.zst): %.3f s wall\n", age_tool.wall);
    std::filesystem::remove(plain);
    std::filesystem::remove(sealed);
    std::filesystem::remove(dir / "age_bench.tool.age");
    return 0;
}
