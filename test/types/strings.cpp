// bytes and str arrays (numpy 'S<n>' and 'U<n>'): the record's width field,
// brine::ndarray, and the typed containers of std::string that load and
// save them.
#include "round_trip.hpp"

#include "format/constants.hpp"

#include <brine/types/value.hpp>
#include <brine/value/value.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

using namespace brine;
using namespace brine::test;

namespace {

// Code points: 1, 2, 3, 0, 2, 2 (an accent, a check mark, an emoji).
const std::vector<std::string> words{"a", "bc", "d\xc3\xa9" "f", "", "x\xe2\x9c\x93", "\xf0\x9f\x98\x80z"};

std::vector<std::byte> saved_value(const ndarray& a) { return saved(value(a)); }

// The offset of the width field in a file whose root is an array: the
// header, the array tag, the dtype byte.
constexpr std::size_t width_field = format::v1::header_size + 2;

}  // namespace

TEST_CASE("a str array is as wide as its longest element, in code points") {
    const auto a = ndarray::from_strings(dtype::str, words, {2, 3});
    CHECK(a.dtype() == dtype::str);
    CHECK(a.meta().width == 3);
    CHECK(a.meta().itemsize() == 12);
    CHECK(a.nbytes() == 72);
    CHECK(a.meta().dtype_text() == "str[3]");
    for (std::size_t i = 0; i < words.size(); ++i) CHECK(a.string_at(i) == words[i]);
    const std::uint64_t row1_col0[] = {1, 0}, past[] = {2, 0};
    CHECK(a.string_at(std::span<const std::uint64_t>(row1_col0)) == words[3]);
    CHECK(ndarray::from_strings(dtype::str, words, {2, 3}, memory_order::fortran).string_at(std::span<const std::uint64_t>(row1_col0)) == words[1]);
    CHECK_THROWS_AS(a.string_at(std::span<const std::uint64_t>(past)), std::out_of_range);
    CHECK_THROWS_AS(a.at(std::uint64_t{0}), type_error);
    CHECK_THROWS_AS(a.string_at(6), std::out_of_range);

    const auto b = ndarray::from_strings(dtype::bytes, words, {6});
    CHECK(b.meta().width == 5);  // the emoji's 4 bytes and 'z'
    CHECK(b.meta().itemsize() == 5);
    CHECK(b.string_at(2) == words[2]);

    const std::vector<std::string> empty_strings{"", ""};
    CHECK(ndarray::from_strings(dtype::str, empty_strings, {2}).meta().width == 1);  // numpy's 'U1'
    const std::vector<std::string> not_utf8{"\xff"};
    CHECK_THROWS_AS(ndarray::from_strings(dtype::str, not_utf8, {1}), error);
    CHECK_THROWS_AS(ndarray::from_strings(dtype::float64, words, {6}), error);
    CHECK_THROWS_AS(ndarray::from_strings(dtype::str, words, {5}), error);
}

TEST_CASE("string elements end at their trailing NULs, as in numpy") {
    const std::vector<std::string> texts{std::string("\0b", 2), "xyz", std::string("a\0", 2)};
    const auto b = ndarray::from_strings(dtype::bytes, texts, {3});
    CHECK(b.string_at(0) == std::string("\0b", 2));  // a NUL inside stays
    CHECK(b.string_at(2) == "a");
}

TEST_CASE("str arrays equal by value: widths and byte orders may differ") {
    const std::vector<std::string> short_words{"ab", "c"};
    const auto narrow = ndarray::from_strings(dtype::str, short_words, {2});
    const auto big = ndarray::from_strings(dtype::str, short_words, {2}, memory_order::c, byte_order::big);
    CHECK(big.meta().order == byte_order::big);
    CHECK(big.string_at(0) == "ab");
    CHECK(narrow == big);
    auto wide_meta = array_meta::contiguous_strings(dtype::str, 5, {2});
    auto wide_bytes = io::buffer::allocate(40);
    for (std::size_t i = 0; i < 2; ++i) put_string_element(wide_meta, wide_bytes.bytes().subspan(20 * i, 20), short_words[i]);
    CHECK(ndarray(wide_meta, wide_bytes) == narrow);
    const std::vector<std::string> other{"ab", "d"};
    CHECK_FALSE(ndarray::from_strings(dtype::str, other, {2}) == narrow);
    CHECK_FALSE(ndarray::from_strings(dtype::bytes, short_words, {2}) == narrow);
    CHECK(big.to_native() == narrow);
    CHECK(big.to_native().meta().order == native_byte_order);
}

TEST_CASE("string arrays round-trip through the format, their width in the record") {
    for (const auto t : {dtype::str, dtype::bytes}) {
        for (const auto order : {byte_order::little, byte_order::big}) {
            const auto a = ndarray::from_strings(t, words, {3, 2}, memory_order::fortran, order);
            const auto file = saved_value(a);
            CHECK(static_cast<std::uint8_t>(file[width_field - 1]) == static_cast<std::uint8_t>(t));
            CHECK(static_cast<std::uint8_t>(file[width_field]) == a.meta().width);
            for (auto kind : {source_kind::mapped, source_kind::sized, source_kind::pipe}) {
                const auto back = loaded<value>(file, kind).as_array();
                CHECK(back == a);
                CHECK(back.meta() == a.meta());
                CHECK(back.string_at(1) == a.string_at(1));
            }
        }
    }
    CHECK(to_string(value(ndarray::from_strings(dtype::str, words, {6}))).find("'d\xc3\xa9" "f'") != std::string::npos);
    CHECK(to_string(value(ndarray::from_strings(dtype::bytes, words, {6}))).find("b'bc'") != std::string::npos);
}

TEST_CASE("a hostile width field is a clear error") {
    const auto file = saved_value(ndarray::from_strings(dtype::str, words, {6}));
    auto zero = file;
    zero[width_field] = std::byte{0};
    for (auto kind : {source_kind::mapped, source_kind::pipe})
        CHECK_THROWS_WITH_AS(loaded<value>(zero, kind), doctest::Contains("string width 0"), corrupt_error);
    // A width whose element would pass 2^31 bytes: a varint of 2^30 characters.
    auto wide = file;
    const std::byte huge[] = {std::byte{0x80}, std::byte{0x80}, std::byte{0x80}, std::byte{0x80}, std::byte{0x04}};
    wide.erase(wide.begin() + width_field, wide.begin() + width_field + 1);
    wide.insert(wide.begin() + width_field, std::begin(huge), std::end(huge));
    CHECK_THROWS_AS(loaded<value>(wide, source_kind::pipe), error);
    // A scalar record cannot have a string dtype.
    auto scalar_file = saved(value(std::int64_t{7}));
    scalar_file[format::v1::header_size + 1] = static_cast<std::byte>(dtype::str);
    CHECK_THROWS_WITH_AS(loaded<value>(scalar_file), doctest::Contains("unknown scalar dtype code 17"), corrupt_error);
}

TEST_CASE("sequences of std::string load from str and bytes arrays") {
    const auto str_file = saved_value(ndarray::from_strings(dtype::str, words, {6}));
    CHECK(converted<std::vector<std::string>>(value(ndarray::from_strings(dtype::str, words, {6}))) == words);
    for (auto kind : {source_kind::mapped, source_kind::sized, source_kind::pipe}) {
        CHECK(loaded<std::vector<std::string>>(str_file, kind) == words);
        CHECK(loaded<std::deque<std::string>>(str_file, kind) == std::deque<std::string>(words.begin(), words.end()));
    }
    const auto arr = loaded<std::array<std::string, 6>>(str_file);
    CHECK(std::vector<std::string>(arr.begin(), arr.end()) == words);
    CHECK(load_error<std::array<std::string, 5>>(str_file).find("str[3] array of shape (6,)") != std::string::npos);
    CHECK(loaded<std::vector<std::string>>(saved_value(ndarray::from_strings(dtype::bytes, words, {6}))) == words);
    // A 2-d array is not a sequence; numbers are not strings.
    CHECK_THROWS_AS(loaded<std::vector<std::string>>(saved_value(ndarray::from_strings(dtype::str, words, {2, 3}))), type_error);
    CHECK_THROWS_AS(loaded<std::vector<std::string>>(saved(std::vector<double>{1.0})), type_error);
    // A list of strings still loads, and a vector of strings still saves as one.
    CHECK(root_kind(saved(words)) == node_kind::list);
}

TEST_CASE("a code point above U+10FFFF is a type_error when read as text") {
    auto meta = array_meta::contiguous_strings(dtype::str, 1, {2});
    auto data = io::buffer::allocate(8);
    const std::uint32_t chars[] = {'a', 0x110000};
    std::memcpy(data.data(), chars, 8);
    const ndarray a(meta, data);
    CHECK(a.string_at(0) == "a");
    CHECK_THROWS_AS(a.string_at(1), type_error);
    CHECK(to_string(value(a)).find("<invalid code point>") != std::string::npos);
    CHECK_THROWS_WITH_AS(loaded<std::vector<std::string>>(saved_value(a)), doctest::Contains("element 1"), type_error);
}

TEST_CASE("xtensor containers of std::string are str arrays") {
    xt::xtensor<std::string, 2> t = {{"a", "bc"}, {"d\xc3\xa9" "f", ""}};
    const auto file = saved(t);
    const auto stored = loaded<value>(file).as_array();
    CHECK(stored.dtype() == dtype::str);
    CHECK(stored.meta().width == 3);
    CHECK(stored.shape() == std::vector<std::uint64_t>{2, 2});
    CHECK(round_trip(t) == t);
    CHECK(converted<xt::xarray<std::string>>(t) == xt::xarray<std::string>(t));
    // Fortran order in the file, C order in the container, and back.
    const auto fortran = saved_value(ndarray::from_strings(dtype::str, words, {2, 3}, memory_order::fortran));
    const auto c = loaded<xt::xtensor<std::string, 2>>(fortran);
    CHECK(c(0, 0) == words[0]);
    CHECK(c(1, 0) == words[1]);  // words are in Fortran order: down the first column
    CHECK(c(0, 1) == words[2]);
    using column_major = xt::xtensor<std::string, 2, xt::layout_type::column_major>;
    CHECK(loaded<column_major>(fortran) == c);
    CHECK(load_error<xt::xtensor<std::string, 1>>(fortran).find("str[3] array of shape (2, 3)") != std::string::npos);
    CHECK(load_error<xt::xtensor<std::string, 1>>(saved(std::vector<double>{1.0})).find("float64") != std::string::npos);
}
