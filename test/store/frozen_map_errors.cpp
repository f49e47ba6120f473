// Hostile map files: every truncation and every single-byte corruption of a
// small map gives a brine::error (open or verify), never a crash; lookups on
// a corrupt file throw or answer, they do not read out of bounds.
#include "scratch.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <fstream>

using brine::test::scratch;

namespace {

using brine::test::read_file;
using brine::test::write_file;

std::filesystem::path sample_map() {
    const auto file = scratch("sample.brinemap");
    brine::frozen_map_builder b(file, {.duplicates = brine::duplicate_keys::last_wins, .compress_above = 200});
    b.add("scalar", 1.25);
    b.add("text", std::string("short text"));
    b.add(7, std::vector<std::int16_t>{1, 2, 3, 4});
    b.add("long", std::string(600, 'q'));  // compressed
    b.add("dict", std::map<std::string, std::vector<float>>{{"w", {1, 2}}});
    b.add("text", std::string("replaced"));
    b.finish();
    return file;
}

// Everything a reader might do; any brine::error is a fine outcome.
void exercise(const std::filesystem::path& p) {
    auto m = brine::frozen_map::open(p);
    for (const brine::frozen_key k : {brine::frozen_key("scalar"), brine::frozen_key("text"), brine::frozen_key(7),
                                      brine::frozen_key("long"), brine::frozen_key("dict"), brine::frozen_key("absent")}) {
        try {
            if (auto e = m.find(k)) (void)e->value();
            (void)m.find_record(k);
            (void)m.get<brine::array<const std::int16_t>>(k);  // the in-place array path
        } catch (const brine::error&) {
        }
    }
    try {
        for (auto&& [key, entry] : m) (void)entry.value();
    } catch (const brine::error&) {
    }
    m.verify();
}

}  // namespace

TEST_CASE("frozen_map errors: the sample map is valid") {
    exercise(sample_map());
    auto m = brine::frozen_map::open(sample_map());
    CHECK(m.at("text").load<std::string>() == "replaced");
    CHECK(m.size() == 5);
}

TEST_CASE("frozen_map errors: every truncation is an error at open") {
    const auto good = read_file(sample_map());
    const auto p = scratch("truncated.brinemap");
    for (std::size_t n = 0; n < good.size(); ++n) {
        write_file(p, std::span(good).first(n));
        CHECK_THROWS_AS(brine::frozen_map::open(p), brine::error);
    }
    auto longer = good;
    longer.push_back(std::byte{0});
    write_file(p, longer);
    CHECK_THROWS_AS(brine::frozen_map::open(p), brine::error);
}

TEST_CASE("frozen_map errors: every flipped byte is caught by open or verify") {
    const auto good = read_file(sample_map());
    const auto p = scratch("flipped.brinemap");
    int caught_at_open = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        if (i == 10 || i == 11) continue;  // the minor version: a 1.0 reader reads 1.x files
        auto bad = good;
        bad[i] ^= std::byte{0x20};
        write_file(p, bad);
        try {
            exercise(p);
            FAIL("byte " << i << " flipped and not detected");
        } catch (const brine::error& e) {
            if (std::string(e.what()).find(p.string()) == std::string::npos) FAIL("error without the file name: " << e.what());
            try {
                (void)brine::frozen_map::open(p);
            } catch (const brine::error&) {
                ++caught_at_open;
            }
        }
    }
    CHECK(caught_at_open > 0);
}

TEST_CASE("frozen_map errors: not a map file, a missing file") {
    const auto p = scratch("plain.brine");
    brine::dump(std::vector<int>{1, 2}, p);
    CHECK_THROWS_WITH_AS(brine::frozen_map::open(p), doctest::Contains("not a frozen map file"), brine::format_error);
    CHECK_THROWS_AS(brine::frozen_map::open(scratch("does-not-exist.brinemap")), brine::io_error);
}
