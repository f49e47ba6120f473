// dtype names, IEEE half conversions, scalar record bytes and text.
#include <brine/model/scalar.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>

using namespace brine;

TEST_CASE("dtype names round trip, and numpy's aliases for bool are accepted") {
    for (std::uint8_t i = 0; i < dtype_count; ++i) {
        const auto t = static_cast<dtype>(i);
        CHECK(dtype_from_name(name(t)) == t);
    }
    CHECK(dtype_from_name("bool_") == dtype::bool_);
    CHECK_FALSE(dtype_from_name("float128"));
    CHECK_FALSE(dtype_from_name(""));
}

TEST_CASE("half precision: exact values, rounding to nearest even, specials") {
    CHECK(half_to_float(0x3c00) == 1.0f);
    CHECK(half_to_float(0xc000) == -2.0f);
    CHECK(half_to_float(0x7bff) == 65504.0f);
    CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));  // smallest subnormal
    CHECK(half_to_float(0x03ff) == std::ldexp(1023.0f, -24));
    CHECK(std::signbit(half_to_float(0x8000)));
    CHECK(std::isinf(half_to_float(0x7c00)));
    CHECK(std::isnan(half_to_float(0x7e00)));

    CHECK(float_to_half(1.0f) == 0x3c00);
    CHECK(float_to_half(65504.0f) == 0x7bff);
    CHECK(float_to_half(65519.0f) == 0x7bff);   // below the midpoint to 65536
    CHECK(float_to_half(65520.0f) == 0x7c00);   // the tie rounds to even: infinity
    CHECK(float_to_half(1e6f) == 0x7c00);
    CHECK(float_to_half(-std::numeric_limits<float>::infinity()) == 0xfc00);
    CHECK((float_to_half(std::numeric_limits<float>::quiet_NaN()) & 0x7fff) > 0x7c00);
    CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);
    CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);   // tie between 0 and the smallest: even
    CHECK(float_to_half(std::ldexp(1.5f, -25)) == 0x0001);
    CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);   // tie between 1 and 2 units: even
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);  // tie: down to even
    CHECK(float_to_half(1.0f + std::ldexp(3.0f, -11)) == 0x3c02);  // tie: up to even
    // Every finite half survives the round trip through float.
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue;  // NaN payloads need not survive
        CHECK_MESSAGE(float_to_half(half_to_float(static_cast<std::uint16_t>(h))) == h, h);
    }
}

TEST_CASE("scalar little-endian bytes round trip for every dtype") {
    const std::array<scalar, 14> values = {
        scalar(true), scalar(std::int8_t{-5}), scalar(std::int16_t{-300}), scalar(std::int32_t{-70000}),
        scalar(std::numeric_limits<std::int64_t>::min()), scalar(std::uint8_t{250}), scalar(std::uint16_t{65000}),
        scalar(std::uint32_t{4000000000u}), scalar(std::numeric_limits<std::uint64_t>::max()),
        scalar::from_le_bytes(dtype::float16, std::array<std::byte, 2>{std::byte{0x00}, std::byte{0x3e}}.data()),
        scalar(1.5f), scalar(-0.0), scalar(std::complex<float>(1, -2)), scalar(std::complex<double>(3, 4))};
    for (const auto& s : values) {
        std::array<std::byte, 16> bytes{};
        s.to_le_bytes(bytes.data());
        CHECK(scalar::from_le_bytes(s.type(), bytes.data()) == s);
    }
    CHECK(values[9].type() == dtype::float16);
    CHECK(values[9].as<double>() == 1.5);

    std::array<std::byte, 4> le{};
    scalar(std::int32_t{0x01020304}).to_le_bytes(le.data());
    CHECK(le[0] == std::byte{4});
    CHECK(le[3] == std::byte{1});
}

TEST_CASE("scalar equality: same dtype and same number; NaN equals NaN, -0 is not +0") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(scalar(nan) == scalar(-nan));
    CHECK(scalar(std::complex<double>(nan, 1)) == scalar(std::complex<double>(nan, 1)));
    CHECK_FALSE(scalar(0.0) == scalar(-0.0));
    CHECK_FALSE(scalar(1.0) == scalar(1.0f));
    CHECK_FALSE(scalar(std::int32_t{1}) == scalar(std::int64_t{1}));
    CHECK(scalar(std::uint64_t{7}) == scalar(std::uint64_t{7}));
}

TEST_CASE("scalar text: shortest digits in the scalar's own precision") {
    CHECK(scalar(std::int32_t{3}).to_string() == "3");
    CHECK(scalar(std::numeric_limits<std::int64_t>::min()).to_string() == "-9223372036854775808");
    CHECK(scalar(std::numeric_limits<std::uint64_t>::max()).to_string() == "18446744073709551615");
    CHECK(scalar(-1.5).to_string() == "-1.5");
    CHECK(scalar(2.0).to_string() == "2.0");
    CHECK(scalar(0.1f).to_string() == "0.1");
    CHECK(scalar(0.1).to_string() == "0.1");
    CHECK(scalar(1e300).to_string() == "1e+300");
    CHECK(scalar(true).to_string() == "true");
    CHECK(scalar(std::complex<double>(1, 2)).to_string() == "(1+2j)");
    CHECK(scalar(std::complex<double>(1, -2)).to_string() == "(1-2j)");
    CHECK(scalar(std::numeric_limits<double>::quiet_NaN()).to_string() == "nan");
    CHECK(scalar(-std::numeric_limits<float>::infinity()).to_string() == "-inf");
    const std::array<std::byte, 2> tenth{std::byte{0x66}, std::byte{0x2e}};  // float16 0.1
    CHECK(scalar::from_le_bytes(dtype::float16, tenth.data()).to_string() == "0.1");
}
