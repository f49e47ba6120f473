// Damaged segment files: every flipped byte and every truncation either
// reads back correctly or throws a brine::error naming the file; never a
// crash or a wrong value.
#include "spill_test.hpp"

#include <fstream>
#include <iterator>

using namespace brine::test;

namespace {

using str_map = brine::spill_map<std::string, std::string>;

std::string value_of(int i) { return std::string(static_cast<std::size_t>(10 + i * 7), static_cast<char>('a' + i)); }


// Opens the store and reads every key; every value read must be right.
// Returns how many entries came back; throws brine::error on damage found.
int read_all(const fs::path& dir, bool read_only) {
    str_map m(brine::spill_options{.memory_limit = 0, .directory = dir, .persist = true, .read_only = read_only});
    int n = 0;
    for (int i = 0; i < 6; ++i) {
        auto v = m.get("k" + std::to_string(i));
        if (!v) continue;
        CHECK(*v == value_of(i));
        ++n;
    }
    return n;
}

fs::path make_store(const fresh_dir& dir) {
    const auto d = dir / "store";
    str_map m(brine::spill_options{.memory_limit = 0, .directory = d, .persist = true});
    for (int i = 0; i < 6; ++i) m.insert_or_assign("k" + std::to_string(i), value_of(i));
    m.flush();
    return d;
}

fs::path only_segment(const fs::path& d) {
    for (const auto& e : fs::directory_iterator(d))
        if (e.path().extension() == ".bss") return e.path();
    FAIL("no segment");
    return {};
}

}  // namespace

TEST_CASE("corruption: every flipped byte of a segment is caught or harmless") {
    fresh_dir dir;
    const auto d = make_store(dir);
    const auto seg = only_segment(d);
    const auto good = read_file(seg);
    REQUIRE(read_all(d, true) == 6);
    int caught = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        auto bad = good;
        bad[i] ^= std::byte{0x20};
        write_file(seg, bad);
        try {
            read_all(d, true);
        } catch (const brine::error& e) {
            CHECK(std::string(e.what()).find(seg.filename().string()) != std::string::npos);
            ++caught;
        }
    }
    CHECK(caught > static_cast<int>(good.size()) / 2);
    write_file(seg, good);
    CHECK(read_all(d, false) == 6);
}

TEST_CASE("corruption: a truncated segment (a write cut short) keeps every whole record") {
    fresh_dir dir;
    const auto d = make_store(dir);
    const auto seg = only_segment(d);
    const auto good = read_file(seg);
    for (std::size_t len = 0; len < good.size(); len += 3) {
        write_file(seg, std::span(good).first(len));
        int n = -1;
        try {
            n = read_all(d, true);
        } catch (const brine::error& e) {
            CHECK(len < 64);  // only a segment without its header is refused
        }
        if (len >= good.size() - 8) CHECK(n >= 5);
    }
    // A writer opening a torn store cuts the tail and carries on.
    write_file(seg, std::span(good).first(good.size() - 5));
    {
        str_map m(brine::spill_options{.memory_limit = 0, .directory = d, .persist = true});
        CHECK(m.size() == 5);
        m.insert_or_assign("k5", value_of(5));
    }
    CHECK(read_all(d, false) == 6);
}

TEST_CASE("corruption: damage before the end of the last segment is an error, not a silent truncation") {
    fresh_dir dir;
    const auto d = make_store(dir);
    const auto seg = only_segment(d);
    auto bad = read_file(seg);
    bad[64 + 2] ^= std::byte{0x01};  // the first record's magic
    write_file(seg, bad);
    CHECK_THROWS_AS(read_all(d, false), brine::corrupt_error);
    CHECK(fs::file_size(seg) == bad.size());  // nothing was cut
}
