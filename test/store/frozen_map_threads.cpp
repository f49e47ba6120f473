// The frozen map builder's two helper threads: one writes and hashes the
// file's blocks (io::background_writer), one sorts the next bucket of index
// pairs while the previous one is emitted. TSan runs these ('*threads*').
#include "io/background_writer.hpp"
#include "scratch.hpp"

#include <brine/brine.hpp>
#include <brine/error.hpp>

#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <vector>

using brine::test::scratch;

namespace {

std::string key_of(std::uint64_t i) { return "k" + std::to_string(i * 7919); }

void build_and_check(const std::filesystem::path& file, std::uint64_t n, std::uint64_t memory_limit) {
    {
        brine::frozen_map_builder b(file, {.memory_limit = memory_limit, .durable = false});
        for (std::uint64_t i = 0; i < n; ++i) {
            if (i % 1000 == 0) b.add(key_of(i), std::vector<double>(100, static_cast<double>(i)));  // longer entries too
            else b.add(key_of(i), i);
        }
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    REQUIRE(m.size() == n);
    for (std::uint64_t i = 0; i < n; i += 97) {
        if (i % 1000 == 0) CHECK(m.at(key_of(i)).load<std::vector<double>>() == std::vector<double>(100, static_cast<double>(i)));
        else CHECK(m.get<std::uint64_t>(key_of(i)) == i);
        CHECK(!m.contains(key_of(i) + "x"));
    }
    m.verify();  // the data and index hashes the background thread computed
}

}  // namespace

TEST_CASE("frozen_map threads: a build that sorts ahead and writes in the background gives every key back") {
    build_and_check(scratch("threads.brinemap"), 150000, 256 << 20);
}

TEST_CASE("frozen_map threads: the same with runs spilled and merged") {
    build_and_check(scratch("threads-spilled.brinemap"), 150000, 1 << 20);
}

TEST_CASE("background_writer threads: blocks arrive whole and in order, whatever the write sizes") {
    std::vector<std::byte> seen;
    std::size_t blocks = 0;
    brine::io::background_writer w(
        [&](std::span<const std::byte> block) {
            CHECK(block.size() <= 4096);
            seen.insert(seen.end(), block.begin(), block.end());
            ++blocks;
        },
        4096, 2);
    std::vector<std::byte> sent;
    std::mt19937 rng(3);
    for (int i = 0; i < 2000; ++i) {
        std::vector<std::byte> piece(rng() % (i % 100 == 0 ? 20000 : 300));  // some longer than a block
        for (auto& b : piece) b = static_cast<std::byte>(rng());
        w.write(piece);
        sent.insert(sent.end(), piece.begin(), piece.end());
    }
    w.drain();
    CHECK(seen == sent);
    CHECK(blocks >= sent.size() / 4096);
    w.write(std::span(sent).first(10));  // usable after a drain
    w.drain();
    CHECK(seen.size() == sent.size() + 10);
}

TEST_CASE("background_writer threads: what the consumer throws is rethrown, and nothing after it is consumed") {
    int calls = 0;
    brine::io::background_writer w(
        [&](std::span<const std::byte>) {
            if (++calls == 3) throw brine::io_error({"out.bin", std::nullopt}, "write failed: No space left on device");
        },
        1024, 1);
    const std::vector<std::byte> kib(1024);
    auto write_many = [&] {
        for (int i = 0; i < 50; ++i) w.write(kib);
        w.drain();
    };
    CHECK_THROWS_WITH_AS(write_many(), doctest::Contains("No space left on device"), brine::io_error);
    CHECK(calls == 3);
    CHECK_THROWS_AS(w.drain(), brine::io_error);  // the failure stays
}
