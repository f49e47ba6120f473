// Numbers, strings and bytes; the conversion rule.
#include "round_trip.hpp"

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

using namespace brine;
using namespace brine::test;

TEST_CASE_TEMPLATE("integers keep their extremes", T, bool, char, signed char, unsigned char, std::int16_t,
                   std::uint16_t, std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, long, unsigned long,
                   long long, unsigned long long) {
    for (T v : {std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), T{}, T{1}}) CHECK(round_trip(v) == v);
    CHECK(root_kind(saved(T{})) == node_kind::scalar);
}

TEST_CASE_TEMPLATE("floating point keeps NaN, infinities, signed zero and denormals", T, float, double) {
    using limits = std::numeric_limits<T>;
    for (T v : {limits::infinity(), -limits::infinity(), limits::lowest(), limits::max(), limits::denorm_min(),
                limits::epsilon(), T(-0.0), T(3.25)}) {
        const T back = round_trip(v);
        CHECK(back == v);
        CHECK(std::signbit(back) == std::signbit(v));
    }
    CHECK(std::isnan(loaded<T>(saved(limits::quiet_NaN()))));
}

TEST_CASE("complex numbers") {
    CHECK(round_trip(std::complex<float>(1.5f, -2.f)) == std::complex<float>(1.5f, -2.f));
    const std::complex<double> c(std::numeric_limits<double>::infinity(), -0.0);
    CHECK(round_trip(c) == c);
    CHECK(converted<std::complex<double>>(std::complex<float>(1.f, 2.f)) == std::complex<double>(1, 2));
}

TEST_CASE("widening that loses nothing is accepted") {
    CHECK(converted<std::int64_t>(std::int32_t{-7}) == -7);
    CHECK(converted<std::int32_t>(std::uint16_t{65535}) == 65535);
    CHECK(converted<double>(std::int32_t{-2147483647 - 1}) == -2147483648.0);
    CHECK(converted<double>(1.5f) == 1.5);
    CHECK(converted<std::complex<double>>(2.5) == std::complex<double>(2.5, 0));
    CHECK(converted<std::uint64_t>(std::uint8_t{255}) == 255u);
}

TEST_CASE("narrowing is rejected whatever the value, with the path and both types") {
    CHECK(load_error<std::int32_t>(saved(std::int64_t{3})) == "root: stored int64, requested std::int32_t");
    CHECK(load_error<float>(saved(0.5)) == "root: stored float64, requested float");
    CHECK(load_error<std::int64_t>(saved(std::uint64_t{1})) == "root: stored uint64, requested std::int64_t");
    CHECK(load_error<double>(saved(std::int64_t{1})) == "root: stored int64, requested double");
    CHECK(load_error<int>(saved(true)) == "root: stored bool, requested std::int32_t");
    CHECK(load_error<bool>(saved(1)) == "root: stored int32, requested bool");
    CHECK(load_error<double>(saved(std::complex<double>(1, 0))) ==
          "root: stored complex128, requested double");
    CHECK(load_error<double>(saved(std::string("1.0"))).find("requested double") != std::string::npos);
}

TEST_CASE("a 0-d array loads as a scalar (numpy scalar arrays)") {
    const auto file = written([](format::writer& w) {
        w.begin_array(array_meta::contiguous(dtype::float32, {}));
        const float v = 2.5f;
        w.write_array_data(std::as_bytes(std::span(&v, 1)));
        w.end_array();
    });
    CHECK(loaded<double>(file) == 2.5);
    CHECK(load_error<std::int64_t>(file).find("requested std::int64_t") != std::string::npos);
}

TEST_CASE("strings, including non-ASCII and embedded NUL") {
    for (std::string s : {std::string(), std::string("r\xc3\xa9sum\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
                          std::string("a\0b", 3), std::string(100000, 'x')})
        CHECK(round_trip(s) == s);
    CHECK(root_kind(saved(std::string("x"))) == node_kind::string);
    CHECK(load_error<std::string>(saved(1.0)) == "root: stored float64, requested std::string");
}

TEST_CASE("std::vector<std::byte> is a bytes record") {
    const std::vector<std::byte> b{std::byte{0}, std::byte{0xff}, std::byte{7}};
    CHECK(round_trip(b) == b);
    CHECK(round_trip(std::vector<std::byte>{}).empty());
    CHECK(root_kind(saved(b)) == node_kind::bytes);
}

TEST_CASE("float16 data (from numpy) widens to float and double") {
    const auto file = written([](format::writer& w) {
        w.begin_array(array_meta::contiguous(dtype::float16, {3}));
        const std::uint16_t halves[] = {0x3c00, 0xc000, 0x7c00};  // 1, -2, +inf
        w.write_array_data(std::as_bytes(std::span(halves)));
        w.end_array();
    });
    CHECK(loaded<std::vector<float>>(file) ==
          std::vector<float>{1.f, -2.f, std::numeric_limits<float>::infinity()});
    CHECK(loaded<std::vector<double>>(file)[1] == -2.0);
    CHECK(load_error<std::vector<std::int32_t>>(file) ==
          "root: stored float16 array of shape (3,), requested std::vector<std::int32_t>");
}
