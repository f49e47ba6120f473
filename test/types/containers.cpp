// Standard containers, pair/tuple, optional, variant.
#include "round_trip.hpp"

#include <cmath>
#include <limits>
#include <numeric>

using namespace brine;
using namespace brine::test;

TEST_CASE_TEMPLATE("sequences of numbers are 1-d arrays", Seq, std::vector<double>, std::vector<std::int8_t>,
                   std::vector<bool>, std::deque<int>, std::list<float>, std::vector<std::complex<double>>) {
    using T = typename Seq::value_type;
    CHECK(round_trip(Seq{}).empty());
    Seq values;
    for (int i = 0; i < 300; ++i) values.push_back(static_cast<T>(i % 7 == 0));
    CHECK(round_trip(values) == values);
    CHECK(root_kind(saved(values)) == node_kind::array);
}

TEST_CASE("sequences longer than one conversion chunk, from every kind of source") {
    std::vector<double> v(800'000);  // 6.4 MB: past the size the reader trusts without knowing the input
    std::iota(v.begin(), v.end(), -5.5);
    v[3] = std::numeric_limits<double>::infinity();
    CHECK(round_trip(v) == v);
    std::deque<std::int16_t> d(100'000);
    std::iota(d.begin(), d.end(), std::int16_t{-30000});
    CHECK(round_trip(d) == d);
    // Widening conversion runs chunk by chunk.
    std::vector<std::int32_t> small(300'000);
    std::iota(small.begin(), small.end(), -150'000);
    const auto wide = converted<std::vector<std::int64_t>>(small);
    CHECK(std::equal(wide.begin(), wide.end(), small.begin(), small.end()));
    CHECK(converted<std::list<double>>(small).back() == 149'999.0);
}

TEST_CASE("NaN and infinities in arrays") {
    const std::vector<float> v{std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(), -0.f};
    const auto back = round_trip(std::vector<float>{v[1], v[2]});
    CHECK(back == std::vector<float>{v[1], v[2]});
    const auto with_nan = loaded<std::vector<float>>(saved(v));
    CHECK(std::isnan(with_nan[0]));
    CHECK(std::signbit(with_nan[3]));
}

TEST_CASE("extreme integers in arrays") {
    const std::vector<std::int64_t> v{std::numeric_limits<std::int64_t>::min(), -1, 0,
                                      std::numeric_limits<std::int64_t>::max()};
    CHECK(round_trip(v) == v);
    const std::vector<std::uint64_t> u{0, std::numeric_limits<std::uint64_t>::max()};
    CHECK(round_trip(u) == u);
}

TEST_CASE("a list of scalars loads into a sequence of numbers, with the conversion rule") {
    const auto file = written([](format::writer& w) {
        w.begin_list(3);
        w.write_number(std::int32_t{1});
        w.write_number(2.5f);
        w.write_number(std::uint8_t{3});
        w.end();
    });
    CHECK(loaded<std::vector<double>>(file) == std::vector<double>{1, 2.5, 3});
    CHECK(loaded<std::array<double, 3>>(file) == std::array<double, 3>{1, 2.5, 3});
    CHECK(load_error<std::vector<int>>(file) == "root[1]: stored float32, requested std::int32_t");
}

TEST_CASE("narrowing arrays is rejected, widening accepted") {
    const auto file = saved(std::vector<std::int64_t>{1, 2});
    CHECK(load_error<std::vector<std::int32_t>>(file) ==
          "root: stored int64 array of shape (2,), requested std::vector<std::int32_t>");
    CHECK(converted<std::vector<double>>(std::vector<float>{1.5f}) == std::vector<double>{1.5});
    CHECK(load_error<std::vector<std::string>>(file).find("requested std::vector<std::string>") != std::string::npos);
}

TEST_CASE("std::array checks the length") {
    const std::array<int, 3> a{1, -2, 3};
    CHECK(round_trip(a) == a);
    CHECK(round_trip(std::array<double, 0>{}).empty());
    CHECK(load_error<std::array<int, 4>>(saved(a)) ==
          "root: stored int32 array of shape (3,), requested std::array<std::int32_t, 4>");
    const std::array<std::string, 2> s{"a", "b"};
    CHECK(round_trip(s) == s);
    CHECK(load_error<std::array<std::string, 3>>(saved(s)).find("requested std::array<std::string, 3>") !=
          std::string::npos);
}

TEST_CASE("big-endian arrays are swapped") {
    const auto file = written([](format::writer& w) {
        auto meta = array_meta::contiguous(dtype::int32, {2});
        meta.order = byte_order::big;
        w.begin_array(meta);
        const unsigned char bytes[] = {0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe};
        w.write_array_data(std::as_bytes(std::span(bytes)));
        w.end_array();
    });
    CHECK(loaded<std::vector<std::int32_t>>(file) == std::vector<std::int32_t>{258, -2});
    CHECK(loaded<std::vector<std::int64_t>>(file) == std::vector<std::int64_t>{258, -2});
    CHECK(loaded<std::deque<double>>(file) == std::deque<double>{258, -2});
}

TEST_CASE("bool arrays: any non-zero byte is true") {
    const auto file = written([](format::writer& w) {
        w.begin_array(array_meta::contiguous(dtype::bool_, {3}));
        const unsigned char bytes[] = {0, 1, 0x80};
        w.write_array_data(std::as_bytes(std::span(bytes)));
        w.end_array();
    });
    CHECK(loaded<std::vector<bool>>(file) == std::vector<bool>{false, true, true});
    const auto a = loaded<std::array<bool, 3>>(file);
    CHECK(std::memcmp(a.data(), "\0\1\1", 3) == 0);
}

TEST_CASE("sequences of other values are lists") {
    const std::vector<std::string> s{"", "\xe6\x97\xa5\xe6\x9c\xac", "x"};
    CHECK(round_trip(s) == s);
    CHECK(root_kind(saved(s)) == node_kind::list);
    CHECK(round_trip(std::vector<std::string>{}).empty());
    const std::vector<std::vector<int>> nested{{}, {1}, {2, 3}};
    CHECK(round_trip(nested) == nested);
    const std::list<std::deque<std::string>> l{{"a"}, {}};
    CHECK(round_trip(l) == l);
}

TEST_CASE("loading replaces what was there") {
    const auto file = saved(std::vector<int>{7});
    auto source = make_source(source_kind::pipe, file);
    format::reader r(*source, load_options{});
    std::vector<int> v{1, 2, 3};
    brine::load(r, v);
    CHECK(v == std::vector<int>{7});
}

TEST_CASE("sets") {
    const std::set<std::string> s{"b", "a", "\xc3\xa9"};
    CHECK(round_trip(s) == s);
    CHECK(root_kind(saved(s)) == node_kind::list);
    const std::unordered_set<int> u{1, 5, -3};
    CHECK(round_trip(u) == u);
    CHECK(round_trip(std::multiset<int>{1, 1, 2}) == std::multiset<int>{1, 1, 2});
    CHECK(round_trip(std::set<double>{}).empty());
}

TEST_CASE("maps with string keys are dicts, other keys a map record") {
    const std::map<std::string, double> m{{"a", 1}, {"\xc3\xa9t\xc3\xa9", -2}, {"", 0}};
    CHECK(round_trip(m) == m);
    CHECK(root_kind(saved(m)) == node_kind::dict);
    const std::unordered_map<std::string, std::vector<int>> u{{"x", {1, 2}}, {"y", {}}};
    CHECK(round_trip(u) == u);
    CHECK(root_kind(saved(u)) == node_kind::dict);

    const std::map<int, std::string> by_int{{-1, "minus"}, {7, "seven"}};
    CHECK(round_trip(by_int) == by_int);
    CHECK(root_kind(saved(by_int)) == node_kind::map);
    const std::map<std::pair<int, int>, double> by_pair{{{1, 2}, 0.5}};
    CHECK(round_trip(by_pair) == by_pair);
    const std::unordered_map<std::int64_t, bool> u2{{1, true}, {2, false}};
    CHECK(round_trip(u2) == u2);

    const std::multimap<std::string, int> mm{{"a", 1}, {"a", 2}};
    CHECK(round_trip(mm) == mm);
    CHECK(root_kind(saved(mm)) == node_kind::map);
    CHECK(round_trip(std::map<std::string, int>{}).empty());
    CHECK(round_trip(std::map<int, int>{}).empty());
}

TEST_CASE("a string-keyed map also loads from a map record; wrong keys are reported") {
    const std::multimap<std::string, int> mm{{"a", 1}, {"b", 2}};
    CHECK(loaded<std::map<std::string, int>>(saved(mm)) == std::map<std::string, int>{{"a", 1}, {"b", 2}});
    CHECK(load_error<std::map<int, int>>(saved(std::map<std::string, int>{{"a", 1}})) ==
          "root: stored dict of 1, requested std::map<std::int32_t, std::int32_t>");
    CHECK(load_error<std::map<std::string, std::vector<double>>>(
              saved(std::map<std::string, std::string>{{"bias", "x"}})) ==
          "root[\"bias\"]: stored string, requested std::vector<double>");
}

TEST_CASE("pair and tuple are lists of fixed length") {
    const std::pair<int, std::string> p{3, "three"};
    CHECK(round_trip(p) == p);
    CHECK(root_kind(saved(p)) == node_kind::list);
    const std::tuple<bool, double, std::vector<int>, std::string> t{true, -1.5, {1, 2}, "t"};
    CHECK(round_trip(t) == t);
    CHECK(round_trip(std::tuple<>{}) == std::tuple<>{});
    const auto error = load_error<std::tuple<int, int, int>>(saved(std::pair<int, int>{1, 2}));
    CHECK(error.find("stored list of 2, requested std::tuple<std::int32_t, std::int32_t, std::int32_t>") !=
          std::string::npos);
}

TEST_CASE("optional is none or the value") {
    CHECK(round_trip(std::optional<int>{}) == std::nullopt);
    CHECK(round_trip(std::optional<int>{5}) == 5);
    CHECK(root_kind(saved(std::optional<int>{})) == node_kind::none);
    CHECK(root_kind(saved(std::optional<std::string>{"x"})) == node_kind::string);
    CHECK(converted<std::optional<double>>(1.5f) == 1.5);
    CHECK(converted<int>(std::optional<int>{4}) == 4);
    const std::vector<std::optional<std::string>> v{std::nullopt, "a"};
    CHECK(round_trip(v) == v);
}

TEST_CASE("variant is {index, value}") {
    using V = std::variant<std::monostate, int, std::int64_t, std::string, std::vector<double>>;
    for (V v : {V{}, V{1}, V{std::int64_t{1}}, V{std::string("s")}, V{std::vector<double>{1, 2}}}) {
        CHECK(round_trip(v) == v);
        CHECK(root_kind(saved(v)) == node_kind::dict);
    }
    const auto bad_index = written([](format::writer& w) {
        w.begin_dict(2);
        w.write_key("index");
        w.write_number(std::int64_t{9});
        w.write_key("value");
        w.write_none();
        w.end();
    });
    CHECK(load_error<V>(bad_index).find("requested std::variant<std::monostate, std::int32_t, std::int64_t, "
                                        "std::string, std::vector<double>>") != std::string::npos);
}

TEST_CASE("type names read like the C++ type") {
    CHECK(type_name<std::map<std::string, std::vector<double>>>() == "std::map<std::string, std::vector<double>>");
    CHECK(type_name<std::unordered_map<int, std::optional<float>>>() ==
          "std::unordered_map<std::int32_t, std::optional<float>>");
    CHECK(type_name<std::pair<std::uint8_t, std::complex<float>>>() == "std::pair<std::uint8_t, std::complex<float>>");
    CHECK(type_name<std::deque<std::set<char>>>() == "std::deque<std::set<char>>");
}
