// brine::frozen_map: the API contract, key kinds, values of every kind,
// duplicates, spilling, compression and iteration order.
#include "scratch.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

using brine::test::scratch;

namespace {

std::string key_of(std::uint64_t i) {  // 16-byte keys, as in the bench
    char buf[32];
    std::snprintf(buf, sizeof buf, "key-%012llu", static_cast<unsigned long long>(i));
    return buf;
}

}  // namespace

TEST_CASE("frozen_map: the contract: build, open, size, contains, find, at, iterate") {
    const auto file = scratch("contract.brinemap");
    {
        brine::frozen_map_builder b(file, {.memory_limit = 512 << 20});
        b.add("some key", std::vector<float>{1, 2, 3});
        b.add(std::string("other"), std::string("text value"));
        b.add(42, 7.5);
        b.add(std::vector<std::byte>{std::byte{0}, std::byte{0xff}}, std::map<std::string, int>{{"a", 1}, {"b", 2}});
        CHECK(!std::filesystem::exists(file));  // nothing before finish()
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    CHECK(m.size() == 4);
    CHECK(m.contains("some key"));
    CHECK(m.contains(42));
    CHECK(m.contains(std::int8_t{42}));
    CHECK(m.contains(42u));
    CHECK(!m.contains("42"));  // a string is not the integer
    CHECK(!m.contains(43));
    CHECK(!m.contains("missing"));

    std::optional<brine::entry> e = m.find("some key");
    REQUIRE(e);
    CHECK(e->kind() == brine::node_kind::array);
    auto w = m.at("some key").load<brine::array<const float>>();
    REQUIRE(w.size() == 3);
    CHECK(w[2] == 3.0f);
    // Zero-copy: the array's data lies inside the mapping, 64-byte aligned.
    CHECK(reinterpret_cast<std::uintptr_t>(w.data()) % 64 == 0);
    CHECK(m.at("other").load<std::string>() == "text value");
    CHECK(m.at(42).load<double>() == 7.5);
    CHECK(m.at(std::vector<std::byte>{std::byte{0}, std::byte{0xff}})["b"].load<int>() == 2);
    CHECK(!m.find("nope"));

    try {
        (void)m.at("absent key");
        FAIL("at() did not throw");
    } catch (const brine::error& err) {
        CHECK(std::string(err.what()).find("\"absent key\"") != std::string::npos);
    }
    try {
        (void)m.at(-5);
        FAIL("at() did not throw");
    } catch (const brine::error& err) {
        CHECK(std::string(err.what()).find("-5") != std::string::npos);
    }

    // File order is the order of add().
    std::vector<brine::frozen_map_key> keys;
    for (auto&& [key, entry] : m) {
        keys.push_back(key);
        CHECK(entry.kind() != brine::node_kind::none);
    }
    REQUIRE(keys.size() == 4);
    CHECK(std::get<std::string>(keys[0]) == "some key");
    CHECK(std::get<std::string>(keys[1]) == "other");
    CHECK(std::get<std::int64_t>(keys[2]) == 42);
    CHECK(std::get<std::vector<std::byte>>(keys[3]).size() == 2);
    m.verify();
}

TEST_CASE("frozen_map: get<T> and find_record read scalars and strings in place") {
    const auto file = scratch("get.brinemap");
    {
        brine::frozen_map_builder b(file);
        b.add("i", std::int32_t{-3});
        b.add("s", std::string("hello"));
        b.add("b", std::vector<std::byte>{std::byte{1}, std::byte{2}, std::byte{3}});
        b.add("list", std::vector<std::string>{"x"});
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    CHECK(m.get<std::int64_t>("i") == -3);
    CHECK(m.get<double>("i") == -3.0);
    CHECK_THROWS_AS(m.get<std::uint32_t>("i"), brine::type_error);  // int32 does not fit uint32
    CHECK(m.get<std::string_view>("s") == "hello");
    CHECK(m.get<std::span<const std::byte>>("b")->size() == 3);
    CHECK(!m.get<int>("absent"));
    CHECK_THROWS_AS(m.get<std::string_view>("list"), brine::type_error);
    auto r = m.find_record("list");
    REQUIRE(r);
    CHECK(r->kind() == brine::node_kind::list);
    CHECK(!r->as_string());
}

TEST_CASE("frozen_map: get<brine::array<const T>> views an array in the mapping, and converts through the entry") {
    const auto file = scratch("get_array.brinemap");
    const std::vector<float> w{1.5f, -2.0f, 3.25f};
    {
        brine::frozen_map_builder b(file, {.compress_above = 2000, .compress_arrays = true});
        b.add("w", w);
        b.add("i32", std::vector<std::int32_t>{7, -8});
        b.add("grid", xt::xtensor<double, 2>{{1, 2, 3}, {4, 5, 6}});
        b.add("flags", std::vector<bool>{true, false});
        b.add("scalar", 2.5);
        b.add("text", std::string("not an array"));
        b.add("big", std::vector<float>(1000, 0.5f));  // compressed: decoded on access
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    const auto mapping = m.find("w")->load<brine::array<const float>>();
    auto a = m.get<brine::array<const float>>("w");
    REQUIRE(a);
    CHECK(std::vector<float>(a->begin(), a->end()) == w);
    CHECK(a->buffer().mapped());
    CHECK(a->data() == mapping.data());  // the same bytes of the file as the entry's view
    CHECK(reinterpret_cast<std::uintptr_t>(a->data()) % 64 == 0);
    CHECK(!m.get<brine::array<const float>>("absent"));

    // Rank and layout come from the record; a fixed rank must match.
    using matrix = brine::tensor<const double, 2>;
    using vector = brine::tensor<const double, 1>;
    auto g = m.get<matrix>("grid");
    REQUIRE(g);
    CHECK((*g)(1, 2) == 6.0);
    CHECK_THROWS_AS(m.get<vector>("grid"), brine::type_error);

    // Not viewable in place: converted (int32 -> int64), checked (bool),
    // a scalar as a 0-d array, a compressed value; or refused with the entry's message.
    auto wide = m.get<brine::array<const std::int64_t>>("i32");
    REQUIRE(wide);
    CHECK((*wide)(1) == -8);
    CHECK(!wide->buffer().mapped());
    CHECK(m.get<brine::array<const bool>>("flags")->size() == 2);
    CHECK(m.get<brine::array<const double>>("scalar")->size() == 1);
    CHECK(m.get<brine::array<const float>>("big")->size() == 1000);
    CHECK_THROWS_AS(m.get<brine::array<const std::int16_t>>("i32"), brine::type_error);  // int32 does not fit int16
    CHECK_THROWS_AS(m.get<brine::array<const float>>("text"), brine::type_error);

    // brine::ndarray: any raw array in place, in its stored dtype.
    const auto nd = m.get<brine::ndarray>("i32");
    REQUIRE(nd);
    CHECK(nd->dtype() == brine::dtype::int32);
    CHECK(nd->mapped());
    CHECK(nd->elements<std::int32_t>()[1] == -8);
    CHECK(m.get<brine::ndarray>("big")->size() == 1000);         // compressed: through the entry
    CHECK(m.get<brine::ndarray>("flags")->dtype() == brine::dtype::bool_);

    // Any other type goes through the entry.
    CHECK(m.get<std::vector<float>>("w") == w);
    CHECK(m.get<std::string>("text") == "not an array");
}

TEST_CASE("frozen_map: a value's inner containers are reached at any depth, with the full path in messages") {
    const auto file = scratch("nested.brinemap");
    using inner = std::map<std::string, std::vector<std::string>>;
    {
        brine::frozen_map_builder b(file);
        b.add("cfg", std::map<std::string, std::map<std::string, inner>>{{"model", {{"layers", {{"names", {"in", "out"}}}}}}});
        b.add("pairs", std::map<int, std::map<std::string, int>>{{7, {{"x", 1}}}, {9, {{"y", 2}}}});
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    const auto names = m.at("cfg")["model"]["layers"]["names"];
    CHECK(names.kind() == brine::node_kind::list);
    CHECK(names.size() == 2);
    CHECK(names[1].load<std::string>() == "out");
    CHECK(m.at("cfg")["model"].keys() == std::vector<std::string>{"layers"});
    CHECK(m.at("pairs")[1]["y"].load<int>() == 2);  // a map's values by position
    CHECK(m.at("cfg")["model"]["layers"].value()["names"][0].as_string() == "in");
    try {
        (void)m.at("cfg")["model"]["nope"]["deeper"].kind();
        FAIL("a missing key did not throw");
    } catch (const brine::error& e) {
        CHECK(std::string(e.what()).find("no key \"nope\" in map[\"cfg\"][\"model\"]") != std::string::npos);
    }
    try {
        (void)names[5].load<std::string>();
        FAIL("an index out of range did not throw");
    } catch (const brine::error& e) {
        CHECK(std::string(e.what()).find("index 5 out of range in map[\"cfg\"][\"model\"][\"layers\"][\"names\"] of 2") != std::string::npos);
    }
    CHECK_THROWS_AS(names[0][0].kind(), brine::type_error);  // a string is not a container
    CHECK_THROWS_AS(m.at("cfg")["model"][0].kind(), brine::type_error);  // a dict takes keys
}

TEST_CASE("frozen_map: a tuple value (Python's) is found, as a list") {
    const auto file = scratch("tuple.brinemap");
    {
        brine::frozen_map_builder b(file);
        b.add("t", brine::value::tuple({brine::value(1), brine::value("a")}));
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    auto r = m.find_record("t");
    REQUIRE(r);
    CHECK(r->kind() == brine::node_kind::list);
    const auto v = m.at("t").value();
    CHECK(v.is_tuple());
    CHECK(v.as_list().size() == 2);
    m.verify();
}

TEST_CASE("frozen_map: many keys with a small memory limit spill, merge and all come back") {
    const auto file = scratch("spill.brinemap");
    constexpr std::uint64_t n = 60000;  // 960 KB of pairs: far above the 64 KiB limit, so many runs
    {
        brine::frozen_map_builder b(file, {.memory_limit = 64 << 10});
        for (std::uint64_t i = 0; i < n; ++i) b.add(key_of(i), i * 3);
        b.finish();
    }
    CHECK(brine::test::files_containing(file.parent_path(), ".brinemap-spill") == 0);
    CHECK(brine::test::files_containing(file.parent_path(), "spill.brinemap.tmp") == 0);
    auto m = brine::frozen_map::open(file);
    CHECK(m.size() == n);
    std::mt19937_64 rng(1);
    for (int i = 0; i < 2000; ++i) {
        const auto k = rng() % n;
        CHECK(m.get<std::uint64_t>(key_of(k)) == k * 3);
        CHECK(!m.contains(key_of(n + k)));
    }
    std::uint64_t seen = 0;
    for (auto it = m.begin(); it != m.end(); ++it, ++seen)
        if (seen % 1000 == 0) CHECK(std::get<std::string>((*it).first) == key_of(seen));
    CHECK(seen == n);
    m.verify();
}

TEST_CASE("frozen_map: integer keys across the whole range, and an empty map") {
    const auto file = scratch("ints.brinemap");
    const std::vector<std::int64_t> signed_keys = {0, -1, 1, INT64_MIN, INT64_MAX};
    {
        brine::frozen_map_builder b(file);
        for (auto k : signed_keys) b.add(k, k);
        b.add(UINT64_MAX, std::string("max"));
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    for (auto k : signed_keys) CHECK(m.at(k).load<std::int64_t>() == k);
    CHECK(m.at(UINT64_MAX).load<std::string>() == "max");
    CHECK(!m.contains(std::uint64_t{1} << 63));
    m.verify();

    const auto empty = scratch("empty.brinemap");
    brine::frozen_map_builder(empty).finish();
    auto e = brine::frozen_map::open(empty);
    CHECK(e.size() == 0);
    CHECK(!e.contains("x"));
    CHECK(e.begin() == e.end());
    e.verify();
}

TEST_CASE("frozen_map: a duplicate key is an error naming it, or last-wins by option") {
    const auto file = scratch("dup.brinemap");
    {
        brine::frozen_map_builder b(file);
        b.add("a", 1);
        b.add("dup key", 2);
        b.add("dup key", 3);
        try {
            b.finish();
            FAIL("no error");
        } catch (const brine::error& e) {
            CHECK(std::string(e.what()).find("duplicate key \"dup key\"") != std::string::npos);
        }
    }
    CHECK(!std::filesystem::exists(file));
    CHECK(brine::test::files_containing(file.parent_path(), "dup.brinemap.tmp") == 0);

    {
        brine::frozen_map_builder b(file, {.duplicates = brine::duplicate_keys::last_wins});
        b.add("dup key", 1);
        b.add("a", 2);
        b.add("dup key", 3);
        b.add(5, 4);
        b.add("dup key", 5);
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    CHECK(m.size() == 3);
    CHECK(m.get<int>("dup key") == 5);
    std::vector<int> order;
    for (auto&& [key, entry] : m) order.push_back(entry.load<int>());
    CHECK(order == std::vector<int>{2, 4, 5});
    m.verify();
}

TEST_CASE("frozen_map: compressed values decode on access; arrays stay raw unless asked") {
    const auto file = scratch("zstd.brinemap");
    const std::string long_text(10000, 'z');
    std::vector<double> big(5000, 1.5);
    {
        brine::frozen_map_builder b(file, {.compress_above = 256});
        b.add("text", long_text);
        b.add("small", std::string("tiny"));
        b.add("array", big);
        b.add("nested", std::map<std::string, std::string>{{"k", long_text}});
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    CHECK(m.file_size() < 50000 + 5000 * 8);
    CHECK(m.find_record("text")->compressed());
    CHECK(m.find_record("text")->kind() == brine::node_kind::string);
    CHECK(!m.find_record("small")->compressed());
    CHECK(!m.find_record("array")->compressed());
    CHECK(m.at("text").load<std::string>() == long_text);
    CHECK(m.at("nested")["k"].load<std::string>() == long_text);
    CHECK_THROWS_AS(m.get<std::string_view>("text"), brine::type_error);
    auto a = m.at("array").load<brine::array<const double>>();
    CHECK(a.size() == 5000);
    CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % 64 == 0);
    m.verify();

    const auto packed = scratch("zstd-arrays.brinemap");
    {
        brine::frozen_map_builder b(packed, {.compress_above = 256, .compress_arrays = true});
        b.add("array", big);
        b.finish();
    }
    auto p = brine::frozen_map::open(packed);
    CHECK(p.find_record("array")->compressed());
    CHECK(p.file_size() < 2000);
    auto v = p.at("array").load<std::vector<double>>();
    CHECK(v == big);
    auto mapped = p.at("array").load<brine::array<const double>>();  // from the decoded buffer
    CHECK(reinterpret_cast<std::uintptr_t>(mapped.data()) % 64 == 0);
    CHECK(mapped[4999] == 1.5);
    p.verify();
}

TEST_CASE("frozen_map: a value that fails half-way poisons the builder and leaves no file") {
    struct throws_on_save {};
    const auto file = scratch("half.brinemap");
    {
        brine::frozen_map_builder b(file);
        b.add("ok", 1);
        auto& w = b.begin_value("bad");
        w.begin_list(2);
        w.write_none();  // one of two children, then an "exception"
        CHECK_THROWS_AS(b.add("next", 2), brine::error);
        CHECK_THROWS_AS(b.finish(), brine::error);
    }
    CHECK(!std::filesystem::exists(file));
    CHECK(brine::test::files_containing(file.parent_path(), "half.brinemap.tmp") == 0);
}

TEST_CASE("frozen_map: a finished build replaces the previous map atomically") {
    const auto file = scratch("replace.brinemap");
    {
        brine::frozen_map_builder b(file);
        b.add("v", 1);
        b.finish();
    }
    auto old = brine::frozen_map::open(file);  // keeps the old mapping
    {
        brine::frozen_map_builder b(file);
        b.add("v", 2);
        b.finish();
    }
    CHECK(old.get<int>("v") == 1);
    CHECK(brine::frozen_map::open(file).get<int>("v") == 2);
}
