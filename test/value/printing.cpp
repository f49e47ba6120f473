// to_string / operator<<: Python-like text, truncated arrays.
#include <brine/value/value.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <sstream>

using namespace brine;

TEST_CASE("the brief's example prints as Python would") {
    const std::vector<float> w = {1, 2, 3, 4, 5, 6};
    const value v = dict{{"a", list{1, 2.5, "x"}}, {"b", none}, {"w", ndarray::copy_of<float>(w, {2, 3})}};
    CHECK(to_string(v) ==
          "{'a': [1, 2.5, 'x'], 'b': None, 'w': array(float32, shape=(2, 3), [[1, 2, 3], [4, 5, 6]])}");
    std::ostringstream os;
    os << v;
    CHECK(os.str() == to_string(v));
}

TEST_CASE("scalars, strings and bytes") {
    CHECK(to_string(value(true)) == "True");
    CHECK(to_string(value(false)) == "False");
    CHECK(to_string(value(2.0)) == "2.0");
    CHECK(to_string(value(-0.0)) == "-0.0");
    CHECK(to_string(value(std::numeric_limits<double>::quiet_NaN())) == "nan");
    CHECK(to_string(value(std::numeric_limits<double>::infinity())) == "inf");
    CHECK(to_string(value(std::uint64_t{18446744073709551615u})) == "18446744073709551615");
    CHECK(to_string(value(std::complex<float>(0.5f, -1))) == "(0.5-1j)");
    CHECK(to_string(value("it's")) == "\"it's\"");
    CHECK(to_string(value("say \"hi\"\n")) == "'say \"hi\"\\n'");
    CHECK(to_string(value("caf\xc3\xa9")) == "'caf\xc3\xa9'");  // UTF-8 kept
    CHECK(to_string(value(std::string("a\0b", 3))) == "'a\\x00b'");
    CHECK(to_string(value(bytes{std::byte{'h'}, std::byte{0}, std::byte{0xff}, std::byte{'\\'}})) ==
          "b'h\\x00\\xff\\\\'");
    CHECK(to_string(value(list{})) == "[]");
    CHECK(to_string(value(dict{})) == "{}");
    CHECK(to_string(value(map{{1, "one"}, {list{1, 2}, none}})) == "{1: 'one', [1, 2]: None}");
}

TEST_CASE("arrays: 0-d, zero-size, F order, bool, complex, foreign byte order") {
    const std::vector<double> one = {3.5};
    CHECK(to_string(value(ndarray::copy_of<double>(one, {}))) == "array(float64, shape=(), 3.5)");
    CHECK(to_string(value(ndarray::zeros(dtype::int8, {0}))) == "array(int8, shape=(0,), [])");
    CHECK(to_string(value(ndarray::zeros(dtype::int8, {2, 0}))) == "array(int8, shape=(2, 0), [[], []])");

    const std::vector<int> cols = {1, 4, 2, 5, 3, 6};
    CHECK(to_string(value(ndarray::copy_of<int>(cols, {2, 3}, memory_order::fortran))) ==
          "array(int32, shape=(2, 3), [[1, 2, 3], [4, 5, 6]])");

    const std::vector<std::uint8_t> flags = {1, 0};
    auto b = ndarray::zeros(dtype::bool_, {2});
    std::memcpy(b.buffer().data(), flags.data(), 2);
    CHECK(to_string(value(b)) == "array(bool, shape=(2,), [True, False])");

    const std::vector<std::complex<double>> z = {{1, 2}};
    CHECK(to_string(value(ndarray::copy_of<std::complex<double>>(z, {1}))) == "array(complex128, shape=(1,), [(1+2j)])");

    const std::vector<std::uint16_t> be = {0x0100, 0x0200};  // 1 and 2 as big-endian on a little-endian host
    auto meta = array_meta::contiguous(dtype::uint16, {2});
    meta.order = byte_order::big;
    auto data = io::buffer::allocate(4);
    std::memcpy(data.data(), be.data(), 4);
    if (native_byte_order == byte_order::little)
        CHECK(to_string(value(ndarray(meta, data))) == "array(>uint16, shape=(2,), [1, 2])");
}

TEST_CASE("large arrays print their edges around '...', within max_array_items") {
    std::vector<std::int64_t> n(100);
    std::iota(n.begin(), n.end(), 0);
    const value line = ndarray::copy_of<std::int64_t>(n, {100});
    CHECK(to_string(line) == "array(int64, shape=(100,), [0, 1, 2, 3, 4, 5, ..., 94, 95, 96, 97, 98, 99])");
    CHECK(to_string(line, 4) == "array(int64, shape=(100,), [0, 1, ..., 98, 99])");
    CHECK(to_string(line, 1000).find("...") == std::string::npos);

    const value grid = ndarray::copy_of<std::int64_t>(n, {10, 10});
    CHECK(to_string(grid) == "array(int64, shape=(10, 10), [[0, ..., 9], ..., [90, ..., 99]])");
    CHECK(to_string(grid, 16) == "array(int64, shape=(10, 10), [[0, 1, ..., 8, 9], [10, 11, ..., 18, 19], ..., "
                                 "[80, 81, ..., 88, 89], [90, 91, ..., 98, 99]])");
    // Short axes print whole even when the array is cut.
    const value tall = ndarray::copy_of<std::int64_t>(n, {50, 2});
    CHECK(to_string(tall, 16) == "array(int64, shape=(50, 2), [[0, 1], [2, 3], ..., [96, 97], [98, 99]])");
}
