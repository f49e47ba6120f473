// Record arrays (numpy's structured dtypes): the layout in the array record,
// brine::ndarray's fields, hostile layouts, and typed loads into sequences
// of BRINE_FIELDS structs.
#include "round_trip.hpp"

#include "format/array_header.hpp"
#include "format/constants.hpp"

#include <brine/api/archive.hpp>
#include <brine/types/value.hpp>
#include <brine/value/value.hpp>

#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

using namespace brine;
using namespace brine::test;

namespace records_test {

struct inner {
    double x = 0;
    std::int32_t y = 0;
    friend bool operator==(const inner&, const inner&) = default;
};
BRINE_FIELDS(inner, x, y)

struct sample {
    std::uint16_t id = 0;
    inner pos;
    std::array<float, 4> m{};
    std::string name;
    std::int64_t missing = -1;  // no such field: keeps its default
    friend bool operator==(const sample&, const sample&) = default;
};
BRINE_FIELDS(sample, id, pos, m, name, missing)

// A scikit-learn tree's node (its record array has more fields).
struct tree_node {
    std::int64_t left_child = 0, right_child = 0, feature = 0;
    double threshold = 0;
};
BRINE_FIELDS(tree_node, left_child, right_child, feature, threshold)

struct narrow {
    std::int16_t id = 0;  // the file's uint16 does not fit
};
BRINE_FIELDS(narrow, id)

}  // namespace records_test

namespace {

using namespace records_test;

element_type number(dtype t, byte_order o = native_byte_order) { return {t, o, {}, 1, {}}; }

// [('x', '<f8'), ('y', '<i4')] packed, 12 bytes.
element_type point_type(byte_order o = byte_order::little) {
    return {dtype::record, native_byte_order, {}, 12, {{"x", 0, number(dtype::float64, o), {}}, {"y", 8, number(dtype::int32, o), {}}}};
}

// id <u2 @0, 2 bytes of padding, pos (point) @4, m >f4 (2, 2) @16, name U3 @32: 44 bytes.
element_type sample_type() {
    element_type name{dtype::str, byte_order::little, {}, 3, {}};
    return {dtype::record, native_byte_order, {}, 44,
            {{"id", 0, number(dtype::uint16, byte_order::little), {}},
             {"pos", 4, point_type(), {}},
             {"m", 16, number(dtype::float32, byte_order::big), {2, 2}},
             {"name", 32, name, {}}}};
}

template <class T>
void put(std::byte* at, T v, byte_order o) {
    std::memcpy(at, &v, sizeof v);
    if (o != native_byte_order) std::reverse(at, at + sizeof v);
}

// Element i: id i, pos (i + 0.5, -i), m [i, i+1, i+2, i+3], name "n<i>".
ndarray sample_array(std::size_t n) {
    auto meta = array_meta::contiguous_of(sample_type(), {n});
    auto data = io::buffer::allocate(n * 44);
    std::memset(data.data(), 0, data.size());
    for (std::size_t i = 0; i < n; ++i) {
        auto* e = data.data() + i * 44;
        put(e, static_cast<std::uint16_t>(i), byte_order::little);
        put(e + 4, i + 0.5, byte_order::little);
        put(e + 12, -static_cast<std::int32_t>(i), byte_order::little);
        for (int k = 0; k < 4; ++k) put(e + 16 + 4 * k, static_cast<float>(i + k), byte_order::big);
        put(e + 32, char32_t{'n'}, byte_order::little);
        put(e + 36, static_cast<char32_t>('0' + i % 10), byte_order::little);
    }
    return ndarray(std::move(meta), std::move(data));
}

sample expected(std::size_t i) {
    sample s;
    s.id = static_cast<std::uint16_t>(i);
    s.pos = {i + 0.5, -static_cast<std::int32_t>(i)};
    for (int k = 0; k < 4; ++k) s.m[k] = static_cast<float>(i + k);
    s.name = "n" + std::to_string(i % 10);
    return s;
}

std::vector<std::byte> saved_value(const ndarray& a) { return saved(value(a)); }

// The element type field of a file whose root is an array starts after the
// header and the array tag.
constexpr std::size_t type_field = format::v1::header_size + 1;

// `file` (a saved record array of type `was`) with its element type field
// replaced by `type`'s bytes, unchecked.
std::vector<std::byte> with_type(std::vector<std::byte> file, const element_type& was, const element_type& type) {
    std::vector<std::byte> old_field, new_field;
    REQUIRE(format::encode_element_type(was, old_field));
    REQUIRE(format::encode_element_type(type, new_field));
    REQUIRE(std::equal(old_field.begin(), old_field.end(), file.begin() + type_field));
    file.erase(file.begin() + type_field, file.begin() + type_field + static_cast<std::ptrdiff_t>(old_field.size()));
    file.insert(file.begin() + type_field, new_field.begin(), new_field.end());
    return file;
}

}  // namespace

TEST_CASE("record arrays round-trip through the format, their layout in the record") {
    const auto a = sample_array(5);
    const auto file = saved_value(a);
    CHECK(static_cast<std::uint8_t>(file[type_field]) == static_cast<std::uint8_t>(dtype::record));
    CHECK(static_cast<std::uint8_t>(file[10]) == format::v1::minor_version);
    for (auto kind : {source_kind::mapped, source_kind::sized, source_kind::pipe}) {
        const auto back = loaded<value>(file, kind).as_array();
        CHECK(back.meta() == a.meta());
        CHECK(back == a);
        CHECK(std::equal(back.bytes().begin(), back.bytes().end(), a.bytes().begin()));
    }
    CHECK(a.meta().dtype_text() == "record[44]{id: uint16 @0, pos: record[12]{x: float64 @0, y: int32 @8} @4, m: >float32(2, 2) @16, name: str[3] @32}");
}

TEST_CASE("fields of a record array are arrays of their own") {
    const auto a = sample_array(3);
    const auto id = a.field("id");
    CHECK(id.dtype() == dtype::uint16);
    CHECK(id.shape() == std::vector<std::uint64_t>{3});
    CHECK(id.at(std::uint64_t{2}).as<int>() == 2);
    const auto m = a.field("m");  // the sub-array shape follows the array's
    CHECK(m.shape() == std::vector<std::uint64_t>{3, 2, 2});
    CHECK(m.meta().order == byte_order::big);
    CHECK(m.at(std::vector<std::uint64_t>{1, 1, 0}).as<float>() == 3.0f);
    const auto y = a.field("pos").field("y");
    CHECK(y.at(std::uint64_t{2}).as<int>() == -2);
    CHECK(a.field("name").string_at(1) == "n1");
    CHECK(a.record_at(std::uint64_t{1}).field("pos").field("x").at(std::uint64_t{0}).as<double>() == 1.5);
    CHECK_THROWS_WITH_AS(a.field("nope"), doctest::Contains("its fields are 'id', 'pos', 'm', 'name'"), std::out_of_range);
    CHECK_THROWS_AS(a.at(std::uint64_t{0}), type_error);
    CHECK_THROWS_AS(id.field("x"), type_error);
    // numpy prints records as tuples.
    CHECK(to_string(value(a)).find("(1, (1.5, -1), [[1, 2], [3, 4]], 'n1')") != std::string::npos);
}

TEST_CASE("record arrays equal field by field: offsets, padding and byte orders may differ") {
    // The same points, packed little-endian and padded big-endian.
    auto little = array_meta::contiguous_of(point_type(byte_order::little), {2});
    auto padded_type = point_type(byte_order::big);
    padded_type.width = 16;
    padded_type.fields[1].offset = 12;
    auto big = array_meta::contiguous_of(padded_type, {2});
    auto a = io::buffer::allocate(24), b = io::buffer::allocate(32);
    std::memset(b.data(), 0xAB, 32);  // padding bytes differ
    for (int i = 0; i < 2; ++i) {
        put(a.data() + 12 * i, 1.25 * i, byte_order::little);
        put(a.data() + 12 * i + 8, std::int32_t{7 - i}, byte_order::little);
        put(b.data() + 16 * i, 1.25 * i, byte_order::big);
        put(b.data() + 16 * i + 12, std::int32_t{7 - i}, byte_order::big);
    }
    const ndarray x(little, a), y(big, b);
    CHECK(x == y);
    const auto native = y.to_native();
    CHECK(native.meta().fields[0].type.order == native_byte_order);
    CHECK(native == x);
    CHECK(native.field("y").elements<std::int32_t>()[1] == 6);
    // Different names are different records.
    auto renamed = point_type(byte_order::little);
    renamed.fields[1].name = "z";
    CHECK_FALSE(ndarray(array_meta::contiguous_of(renamed, {2}), a) == x);
}

TEST_CASE("numpy's plain void is a record without fields") {
    element_type v{dtype::record, native_byte_order, {}, 3, {}};
    auto data = io::buffer::allocate(6);
    for (int i = 0; i < 6; ++i) data.data()[i] = static_cast<std::byte>(i);
    const ndarray a(array_meta::contiguous_of(v, {2}), data);
    const auto back = loaded<value>(saved_value(a), source_kind::pipe).as_array();
    CHECK(back.meta() == a.meta());
    CHECK(std::equal(back.bytes().begin(), back.bytes().end(), a.bytes().begin()));
}

TEST_CASE("a hostile record layout is a clear error") {
    const auto a = sample_array(2);
    const auto file = saved_value(a);
    const auto type = sample_type();
    auto expect_corrupt = [&](const element_type& bad, const char* message) {
        const auto hostile = with_type(file, type, bad);
        for (auto kind : {source_kind::mapped, source_kind::pipe})
            CHECK_THROWS_WITH_AS(loaded<value>(hostile, kind), doctest::Contains(message), corrupt_error);
    };
    auto past_end = type;
    past_end.fields[3].offset = 33;  // a 12-byte field at 33 of 44
    expect_corrupt(past_end, "field 'name' of 12 bytes at offset 33 ends past the record's 44 bytes");
    // No bytes per element: a tiny file could claim any number of them.
    expect_corrupt(element_type{dtype::record, native_byte_order, {}, 0, {}}, "record of 0 bytes, expected 1 to 2147483647");
    auto twice = type;
    twice.fields[1].name = "id";
    expect_corrupt(twice, "two record fields named 'id'");
    auto unnamed = type;
    unnamed.fields[0].name.clear();
    expect_corrupt(unnamed, "field name of 0 bytes");
    auto huge_subarray = type;
    huge_subarray.fields[2].shape = {std::uint64_t{1} << 40, std::uint64_t{1} << 40};
    expect_corrupt(huge_subarray, "sub-array shape (1099511627776, 1099511627776) overflows 64 bits");
    // Nested deeper than max_record_depth: each level one field holding the next.
    element_type deep = number(dtype::uint8);
    for (std::size_t level = 0; level <= max_record_depth; ++level)
        deep = element_type{dtype::record, native_byte_order, {}, 1, {{"f", 0, deep, {}}}};
    deep.width = 44;
    expect_corrupt(deep, "records nested deeper than 32");
    // More fields than max_record_fields, each a uint8 at offset 0 (overlap is allowed).
    element_type wide{dtype::record, native_byte_order, {}, 44, {}};
    for (std::size_t i = 0; i <= max_record_fields; ++i) wide.fields.push_back({"f" + std::to_string(i), 0, number(dtype::uint8), {}});
    expect_corrupt(wide, "more than 4096 record fields");
    // A record whose byte order mark is not '|'.
    auto marked = file;
    std::vector<std::byte> field;
    REQUIRE(format::encode_element_type(type, field));
    marked[type_field + field.size() - 1] = std::byte{'<'};
    CHECK_THROWS_WITH_AS(loaded<value>(marked), doctest::Contains("expected '|' for a record"), corrupt_error);
}

TEST_CASE("the writer refuses a layout numpy would not accept") {
    auto bad = sample_type();
    bad.fields[0].offset = 43;
    auto data = io::buffer::allocate(44);
    CHECK_THROWS_WITH_AS(ndarray(array_meta::contiguous_of(bad, {1}), data), doctest::Contains("ends past the record's 44 bytes"), error);
    const auto meta = array_meta::contiguous_of(bad, {1});
    CHECK_THROWS_WITH(written([&](format::writer& w) { w.begin_array(meta); }), doctest::Contains("writer misuse: field 'id'"));
}

TEST_CASE("sequences of BRINE_FIELDS structs load from a 1-d record array") {
    const auto file = saved_value(sample_array(2000));  // several reader chunks
    for (auto kind : {source_kind::mapped, source_kind::sized, source_kind::pipe}) {
        const auto v = loaded<std::vector<sample>>(file, kind);
        REQUIRE(v.size() == 2000);
        for (std::size_t i : {0, 1, 1234, 1999}) CHECK(v[i] == expected(i));
        const auto d = loaded<std::deque<sample>>(file, kind);
        CHECK(d[7] == expected(7));
    }
    CHECK(loaded<std::array<inner, 2>>(saved_value(sample_array(2).field("pos")), source_kind::pipe)[1] == inner{1.5, -1});
    CHECK_THROWS_WITH_AS(loaded<std::vector<narrow>>(file),
                         doctest::Contains("record field 'id' (uint16) cannot load into narrow::id (std::int16_t)"), type_error);
    using three = std::array<inner, 3>;  // the file has 2
    CHECK_THROWS_AS(loaded<three>(saved_value(sample_array(2).field("pos"))), type_error);
    // A list of dicts still loads, as before.
    CHECK(loaded<std::vector<inner>>(saved(std::vector<inner>{{1, 2}})) == std::vector<inner>{{1, 2}});
}

TEST_CASE("the guide's example: a tree's nodes inside object nodes load typed through an archive") {
    // sklearn's Tree keeps its nodes as a record array in its state.
    const auto i8 = element_type{dtype::int64, byte_order::little, {}, 1, {}};
    const auto f8 = element_type{dtype::float64, byte_order::little, {}, 1, {}};
    const element_type node{dtype::record, native_byte_order, {}, 40,
                            {{"left_child", 0, i8, {}}, {"right_child", 8, i8, {}}, {"feature", 16, i8, {}},
                             {"threshold", 24, f8, {}}, {"impurity", 32, f8, {}}}};
    auto bytes = io::buffer::allocate(80);
    std::memset(bytes.data(), 0, 80);
    put(bytes.data(), std::int64_t{1}, byte_order::little);
    put(bytes.data() + 8, std::int64_t{-1}, byte_order::little);
    put(bytes.data() + 24, 0.75, byte_order::little);
    put(bytes.data() + 40 + 16, std::int64_t{-2}, byte_order::little);
    object tree("sklearn.tree._tree", "Tree", build_kind::reduce);
    tree.has_state = true;
    tree.state = dict{{"nodes", ndarray(array_meta::contiguous_of(node, {2}), bytes)}};
    object model("sklearn.tree._classes", "DecisionTreeClassifier", build_kind::newobj);
    model.has_state = true;
    model.state = dict{{"tree_", value(std::move(tree))}};
    const archive a(std::make_shared<const std::vector<std::byte>>(saved(value(std::move(model)))), "tree.brine");
    const auto nodes = a["tree_"]["nodes"].load<std::vector<tree_node>>();
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].left_child == 1);
    CHECK(nodes[0].right_child == -1);
    CHECK(nodes[0].threshold == 0.75);
    CHECK(nodes[1].feature == -2);
}

namespace records_test {

struct pixel {
    std::int16_t x = 0;
    double value = 0;
    std::array<std::uint8_t, 3> rgb{};
    inner at;
    friend bool operator==(const pixel&, const pixel&) = default;
};
BRINE_FIELDS(pixel, x, value, rgb, at)

}  // namespace records_test

TEST_CASE("record_array: a sequence of BRINE_FIELDS structs as one record array, and back") {
    std::vector<pixel> pixels;
    for (int i = 0; i < 3000; ++i)
        pixels.push_back({static_cast<std::int16_t>(i - 1500), i * 0.5, {std::uint8_t(i), std::uint8_t(i + 1), std::uint8_t(i + 2)}, {i * 0.25, -i}});
    const auto a = record_array(std::span<const pixel>(pixels));
    // Packed in member order, as numpy's [('x', '<i2'), ('value', '<f8'), ('rgb', 'u1', (3,)), ('at', [...])].
    CHECK(a.meta().width == 2 + 8 + 3 + 12);
    CHECK(a.meta().fields[2].offset == 10);
    CHECK(a.meta().fields[2].shape == std::vector<std::uint64_t>{3});
    CHECK(a.meta().fields[3].type.fields[1].offset == 8);
    CHECK(a.field("value").at(std::uint64_t{4}).as<double>() == 2.0);
    const auto file = saved(a);
    for (auto kind : {source_kind::mapped, source_kind::pipe}) CHECK(loaded<std::vector<pixel>>(file, kind) == pixels);
    CHECK(record_array(std::span<const pixel>()).shape() == std::vector<std::uint64_t>{0});
}
