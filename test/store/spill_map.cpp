// The spill_map API: values of every kind brine stores, absent keys,
// emplace, keys, attach, codecs, and zero-copy unspill.
#include "spill_test.hpp"

#include <algorithm>
#include <map>
#include <vector>

using namespace brine::test;

namespace {

struct point {
    std::string name;
    std::vector<double> xs;
    int id = 0;
    bool operator==(const point&) const = default;
};
BRINE_FIELDS(point, name, xs, id)

}  // namespace

TEST_CASE("spill_map: insert, get, contains, erase, size, keys") {
    brine::spill_map<std::string, std::string> m(brine::spill_options{.memory_limit = 1 * MiB});
    CHECK(m.size() == 0);
    CHECK(m.get("nope") == nullptr);
    m.insert_or_assign("a", std::string("alpha"));
    std::string b = "beta";
    m.insert_or_assign("b", b);
    CHECK(m.size() == 2);
    CHECK(m.contains("a"));
    CHECK(!m.contains("c"));
    REQUIRE(m.get("a"));
    CHECK(*m.get("a") == "alpha");
    m.insert_or_assign("a", std::string("ALPHA"));
    CHECK(*m.get("a") == "ALPHA");
    CHECK(m.size() == 2);
    auto keys = m.keys();
    std::sort(keys.begin(), keys.end());
    CHECK(keys == std::vector<std::string>{"a", "b"});
    CHECK(m.erase("a"));
    CHECK(!m.erase("a"));
    CHECK(m.get("a") == nullptr);
    CHECK(m.size() == 1);
}

TEST_CASE("spill_map: emplace inserts only absent keys and gives the value back on failure") {
    brine::spill_map<std::string, std::vector<int>> m(brine::spill_options{.memory_limit = 1 * MiB, .disk_limit = 4096});
    std::vector<int> v{1, 2, 3};
    CHECK(m.emplace("k", std::move(v)));
    std::vector<int> w{4};
    CHECK(!m.emplace("k", std::move(w)));
    CHECK(*m.get("k") == std::vector<int>{1, 2, 3});
    std::vector<int> huge(1 << 20, 7);  // 4 MiB: larger than both limits
    CHECK_THROWS_AS(m.emplace("huge", std::move(huge)), brine::capacity_error);
    CHECK(huge.size() == (1u << 20));  // not lost
    CHECK(!m.contains("huge"));
}

TEST_CASE("spill_map: structs, brine::value and arrays round-trip through the disk") {
    brine::spill_options o{.memory_limit = 0};  // everything straight to disk
    brine::spill_map<std::string, point> points(o);
    point p{"p", {1.5, 2.5}, 7};
    points.insert_or_assign("p", p);
    CHECK(points.stats().entries_in_memory == 0);
    CHECK(*points.get("p") == p);

    brine::spill_map<std::string, brine::value> values(o);
    brine::value v = brine::dict{{"name", brine::value("x")}, {"n", brine::value(std::int64_t{3})}};
    values.insert_or_assign("v", v);
    auto back = values.get("v");
    REQUIRE(back);
    CHECK((*back)["name"].as_string() == "x");

    brine::spill_map<std::string, brine::array<double>> arrays(o);
    arrays.insert_or_assign("a", doubles(1000, 1));
    auto a = arrays.get("a");
    REQUIRE(a);
    CHECK(a->size() == 1000);
    CHECK((*a)(999) == 1000.0);
}

TEST_CASE("spill_map: an uncompressed array comes back as a 64-byte aligned mapping of its segment") {
    brine::spill_map<std::string, brine::array<double>> m(brine::spill_options{.memory_limit = 3 * MiB});
    for (int i = 0; i < 6; ++i) m.insert_or_assign("a" + std::to_string(i), doubles(MiB / 8, i));
    m.flush();
    for (int i = 0; i < 6; ++i) {
        auto a = m.get("a" + std::to_string(i));
        REQUIRE(a);
        CHECK((*a)(12345) == 12345.0 + i);
        if (i < 3) {  // spilled before, so unspilled now
            CHECK(a->is_mapped());
            CHECK(reinterpret_cast<std::uintptr_t>(a->data()) % 64 == 0);
        }
    }
    CHECK(m.stats().unspills >= 3);
}

TEST_CASE("spill_map: every codec works, and costs nothing until a spill") {
    for (auto id : {brine::codec_id::none, brine::codec_id::zlib, brine::codec_id::gzip, brine::codec_id::bz2, brine::codec_id::lzma,
                    brine::codec_id::xz, brine::codec_id::lz4, brine::codec_id::zstd}) {
        CAPTURE(brine::info(id).name);
        brine::spill_map<std::string, std::vector<double>> m(brine::spill_options{.memory_limit = 256 * 1024, .codec = id});
        for (int i = 0; i < 8; ++i) m.insert_or_assign("v" + std::to_string(i), std::vector<double>(16384, i));  // 128 KiB each
        m.flush();
        const auto s = m.stats();
        CHECK(s.memory_bytes <= 256 * 1024);
        if (id != brine::codec_id::none) CHECK(s.bytes_written < 8 * 16384 * 8 / 4);  // constant data compresses
        for (int i = 0; i < 8; ++i) CHECK((*m.get("v" + std::to_string(i)))[100] == i);
    }
}

TEST_CASE("spill_map: attach is lazy and never deletes the file") {
    fresh_dir dir;
    const auto file = dir / "existing.brine";
    brine::dump(std::vector<double>{1, 2, 3}, file);
    {
        brine::spill_map<std::string, std::vector<double>> m(brine::spill_options{.memory_limit = MiB});
        m.attach("e", file);
        CHECK(m.contains("e"));
        CHECK(m.stats().bytes_read == 0);
        CHECK(m.stats().entries_in_memory == 0);
        auto v = m.get("e");
        REQUIRE(v);
        CHECK(*v == std::vector<double>{1, 2, 3});
        CHECK(m.stats().bytes_read > 0);
        m.erase("e");
    }
    CHECK(fs::exists(file));
    brine::spill_map<std::string, std::vector<double>> m2(brine::spill_options{.memory_limit = MiB});
    m2.attach("missing", dir / "nope.brine");
    CHECK_THROWS_AS(m2.get("missing"), brine::io_error);
}
