// Argument keys: equal values give equal keys whatever their memory (order of
// unordered containers, byte order, container of the same record kind),
// different values different keys.
#include <brine/brine.hpp>
#include <brine/value/ndarray.hpp>

#include <doctest/doctest.h>

#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

TEST_CASE("argument keys name their algorithm and are stable") {
    const auto k = brine::argument_key(1, std::string("a"), 2.5);
    CHECK(k.starts_with("xxh3-128-v1-"));
    CHECK(k.size() == std::string("xxh3-128-v1-").size() + 32);
    CHECK(k == brine::argument_key(1, std::string("a"), 2.5));
    // A fixed value: the key must not change between runs, builds or
    // machines. If this fails, the algorithm changed: bump "v1".
    CHECK(brine::argument_key(std::string("brine"), std::vector<int>{1, 2, 3}) ==
          "xxh3-128-v1-5b885ac105359d4d0ee432a845c1fb26");
}

TEST_CASE("different values, different keys") {
    CHECK(brine::argument_key(1) != brine::argument_key(2));
    CHECK(brine::argument_key(1) != brine::argument_key(1L));  // the dtype is part of the value
    CHECK(brine::argument_key(1, 2) != brine::argument_key(2, 1));
    CHECK(brine::argument_key(std::string("ab"), std::string("c")) != brine::argument_key(std::string("a"), std::string("bc")));
    CHECK(brine::argument_key(std::vector<int>{}) != brine::argument_key(std::vector<double>{}));
    CHECK(brine::argument_key() != brine::argument_key(0));
    // Sets: equal elements twice count twice (a sum, not a xor, of the element hashes).
    CHECK(brine::argument_key(std::multiset<int>{1, 1}) != brine::argument_key(std::multiset<int>{}));
    CHECK(brine::argument_key(std::multiset<int>{1, 1}) != brine::argument_key(std::multiset<int>{2, 2}));
    // Maps: the pairing of keys and values matters, not only the two sets.
    CHECK(brine::argument_key(std::map<int, int>{{1, 2}, {3, 4}}) != brine::argument_key(std::map<int, int>{{1, 4}, {3, 2}}));
    CHECK(brine::argument_key(std::map<std::string, int>{{"a", 1}, {"b", 2}}) !=
          brine::argument_key(std::map<std::string, int>{{"a", 2}, {"b", 1}}));
    // Nesting: {{1},{2}} is not {{1,2}}.
    CHECK(brine::argument_key(std::set<std::set<int>>{{1}, {2}}) != brine::argument_key(std::set<std::set<int>>{{1, 2}}));
    // A one-bit change deep in an array.
    xt::xtensor<double, 1> a = xt::zeros<double>({100000});
    const auto before = brine::argument_key(a);
    a(77777) = 1e-300;
    CHECK(brine::argument_key(a) != before);
}

TEST_CASE("unordered containers hash the same in any order") {
    std::unordered_set<std::string> s1, s2;
    std::vector<std::string> words;
    for (int i = 0; i < 200; ++i) words.push_back(std::string("w").append(std::to_string(i * 7919 % 1000)));
    for (const auto& w : words) s1.insert(w);
    s2.reserve(4096);  // another bucket count: another iteration order
    for (auto it = words.rbegin(); it != words.rend(); ++it) s2.insert(*it);
    REQUIRE(std::vector<std::string>(s1.begin(), s1.end()) != std::vector<std::string>(s2.begin(), s2.end()));
    CHECK(brine::argument_key(s1) == brine::argument_key(s2));
    // Sets are sets whatever their C++ type: a std::set of the same elements too.
    CHECK(brine::argument_key(std::set<std::string>(words.begin(), words.end())) == brine::argument_key(s2));

    std::unordered_map<int, std::vector<int>> m1, m2;
    m2.reserve(4096);
    for (int i = 0; i < 300; ++i) m1[i] = {i, i * i};
    for (int i = 299; i >= 0; --i) m2[i] = {i, i * i};
    CHECK(brine::argument_key(m1) == brine::argument_key(m2));
    m2[5].push_back(0);
    CHECK(brine::argument_key(m1) != brine::argument_key(m2));

    // brine::value dicts keep insertion order; their keys do not depend on it.
    const brine::value d1 = brine::dict{{"x", brine::value(1)}, {"y", brine::value("two")}};
    const brine::value d2 = brine::dict{{"y", brine::value("two")}, {"x", brine::value(1)}};
    REQUIRE(d1.as_dict().begin()->first != d2.as_dict().begin()->first);
    CHECK(brine::argument_key(d1) == brine::argument_key(d2));
}

TEST_CASE("array payloads hash little-endian whatever their byte order") {
    const std::vector<double> xs = {1.5, -2.25, 3e100, 0.0, 42.0};
    const auto native = brine::ndarray::copy_of<double>(xs, {5});
    // The same values stored big-endian.
    brine::array_meta big = native.meta();
    big.order = brine::byte_order::big;
    std::vector<std::byte> swapped(xs.size() * 8);
    std::memcpy(swapped.data(), xs.data(), swapped.size());
    for (std::size_t i = 0; i < xs.size(); ++i) std::reverse(swapped.begin() + i * 8, swapped.begin() + i * 8 + 8);
    auto storage = brine::io::buffer::allocate(swapped.size());
    std::memcpy(storage.data(), swapped.data(), swapped.size());
    const brine::ndarray other(big, storage);
    REQUIRE(other == native);
    CHECK(brine::argument_key(other) == brine::argument_key(native));
    // Chunks that split elements swap the same.
    brine::argument_hasher chunked, whole;
    chunked.writer().begin_array(big);
    for (std::size_t at = 0; at < swapped.size(); at += 3)
        chunked.writer().write_array_data(std::span(swapped).subspan(at, std::min<std::size_t>(3, swapped.size() - at)));
    chunked.writer().end_array();
    whole.writer().begin_array(native.meta());
    whole.writer().write_array_data(native.bytes());
    whole.writer().end_array();
    CHECK(chunked.key() == whole.key());
    // One-byte types have no byte order.
    const auto bytes8 = brine::ndarray::copy_of<std::uint8_t>(std::vector<std::uint8_t>{1, 2, 3}, {3});
    CHECK(brine::argument_key(bytes8) != brine::argument_key(native));
}
