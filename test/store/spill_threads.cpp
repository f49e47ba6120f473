// 8 threads get, insert and erase at once (run under TSan by .ci/run).
#include "spill_test.hpp"

#include <atomic>
#include <random>
#include <thread>
#include <vector>

using namespace brine::test;

TEST_CASE("spill threads: 8 threads get, insert and erase concurrently") {
    for (auto policy : {brine::eviction::lru, brine::eviction::mru}) {
        const std::uint64_t limit = 64 * 1024;
        brine::spill_map<std::string, std::vector<std::int64_t>> m(
            brine::spill_options{.memory_limit = limit, .codec = policy == brine::eviction::lru ? brine::codec_id::none : brine::codec_id::lz4,
                                 .policy = policy});
        std::atomic<int> bad{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937 rng(static_cast<unsigned>(t));
                for (int i = 0; i < 400; ++i) {
                    // Values say which key they belong to, so a mix-up shows.
                    const int k = static_cast<int>(rng() % 64);
                    const auto key = "k" + std::to_string(k);
                    switch (rng() % 4) {
                    case 0:
                    case 1: m.insert_or_assign(key, std::vector<std::int64_t>(512 + rng() % 512, k)); break;
                    case 2:
                        if (auto v = m.get(key); v && (v->empty() || v->front() != k || v->back() != k)) ++bad;
                        break;
                    case 3: m.erase(key); break;
                    }
                    if (m.stats().memory_bytes > limit) ++bad;
                }
            });
        }
        for (auto& th : threads) th.join();
        CHECK(bad == 0);
        m.flush();
        for (const auto& k : m.keys()) {
            auto v = m.get(k);
            REQUIRE(v);
            CHECK(std::to_string(v->front()) == k.substr(1));
        }
    }
}
