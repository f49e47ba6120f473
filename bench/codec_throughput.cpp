// Compression and decompression speed of every codec through brine's
// pipelines, on W1-like bytes (half 1.0 doubles, half uniform random
// doubles, as joblib's [np.ones, np.random.random] example), in memory.
//   codec_throughput [MiB=400] [codec|all] [threads...]
// Prints one line per codec x threads: MB/s both ways and the ratio. Run it
// under /usr/bin/time -v with one codec and one thread count for peak RSS.
#include "codec/factory.hpp"

#include <brine/codec/codec.hpp>
#include <brine/io/memory.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace brine;

namespace {

std::vector<std::byte> w1_bytes(std::size_t size) {
    std::vector<std::byte> v(size / 16 * 16);
    const std::size_t half = v.size() / 2;
    const double one = 1.0;
    for (std::size_t i = 0; i < half; i += 8) std::memcpy(&v[i], &one, 8);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    for (std::size_t i = half; i < v.size(); i += 8) {
        const double d = u(rng);
        std::memcpy(&v[i], &d, 8);
    }
    return v;
}

// Keeps the compressed bytes in memory that is faulted in beforehand.
class memory_target final : public io::sink {
public:
    void write(std::span<const std::byte> b) override { bytes.insert(bytes.end(), b.begin(), b.end()); }
    void finish() override {}
    std::string name() const override { return "<bench>"; }
    std::vector<std::byte> bytes;
};

// CPU seconds of all threads: on a shared machine, wall time measures the
// neighbours; CPU time still measures the codec.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t mib = argc > 1 ? std::stoul(argv[1]) : 400;
    const std::string which = argc > 2 ? argv[2] : "all";
    std::vector<unsigned> thread_counts;
    for (int i = 3; i < argc; ++i) thread_counts.push_back(static_cast<unsigned>(std::stoul(argv[i])));
    if (thread_counts.empty()) thread_counts = {1, 2};
    const auto data = w1_bytes(mib << 20);
    const double mb = static_cast<double>(data.size()) / 1e6;
    std::printf("%-5s %7s %8s %10s %12s %10s %12s\n", "codec", "threads", "ratio", "comp MB/s", "comp MB/cpu-s",
                "dec MB/s", "dec MB/cpu-s");
    for (const auto& ci : codecs()) {
        if (ci.id == codec_id::none || (which != "all" && which != ci.name)) continue;
        for (unsigned threads : thread_counts) {
            memory_target packed;
            packed.bytes.reserve(data.size() + data.size() / 8);
            std::memset(packed.bytes.data(), 0, packed.bytes.capacity());  // fault the pages in before timing
            double c0 = cpu_seconds();
            auto t0 = std::chrono::steady_clock::now();
            {
                auto encoder = codec::make_encoding_sink(packed, {ci.id, ci.default_level, threads, 0});
                for (std::size_t pos = 0; pos < data.size(); pos += 1 << 20)
                    encoder->write(std::span(data).subspan(pos, std::min<std::size_t>(1 << 20, data.size() - pos)));
                encoder->finish();
            }
            const double tc = seconds_since(t0), cc = cpu_seconds() - c0;
            io::memory_source source(std::span<const std::byte>(packed.bytes));
            std::vector<std::byte> chunk(1 << 20);
            std::size_t total = 0;
            c0 = cpu_seconds();
            t0 = std::chrono::steady_clock::now();
            {
                auto decoder = codec::make_decoding_source(ci.id, source, {threads});
                while (const std::size_t n = decoder->read(chunk)) total += n;
            }
            const double td = seconds_since(t0), cd = cpu_seconds() - c0;
            if (total != data.size()) std::printf("size mismatch!\n");
            std::printf("%-5s %7u %8.4f %10.1f %12.1f %10.1f %12.1f\n", std::string(ci.name).c_str(), threads,
                        static_cast<double>(packed.bytes.size()) / static_cast<double>(data.size()), mb / tc, mb / cc,
                        mb / td, mb / cd);
            std::fflush(stdout);
        }
    }
}
