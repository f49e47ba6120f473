// 8 threads get, insert and erase at once (run under TSan by .ci/run).
#include "spill_test.hpp"

#include <atomic>
#include <chrono>
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

TEST_CASE("spill threads: an erase while a large value is being written leaves memory and disk agreeing") {
    // A value over memory_limit is appended on the caller's thread, then
    // registered. An erase of its key in between is newer: the record is
    // dead and the erase's tombstone covers it. (The store used to register
    // the value after the erase: the map had the key, and a reopen, which
    // saw the newer tombstone, did not.) The erase comes at a varying time
    // after the put starts, so some rounds land in between.
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = 64 * 1024, .directory = dir.path(), .codec = brine::codec_id::zstd, .persist = true};
    using map = brine::spill_map<std::string, std::vector<std::int64_t>>;
    std::mt19937 rng(3);
    int present_rounds = 0;
    for (int round = 0; round < 40; ++round) {
        const auto key = "k" + std::to_string(round);
        bool present = false;
        {
            map m(o);
            m.insert_or_assign(key, std::vector<std::int64_t>(8, round));
            m.flush();  // a record on disk: the erase writes a tombstone
            std::vector<std::int64_t> big(1 << 17);
            for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::int64_t>(rng());
            std::thread writer([&] { m.insert_or_assign(key, big); });
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
            m.erase(key);
            writer.join();
            present = m.contains(key);
            present_rounds += present;
            m.flush();
        }
        map m(o);
        CHECK(m.contains(key) == present);
    }
    MESSAGE(present_rounds, " of 40 rounds kept the large value");
}
