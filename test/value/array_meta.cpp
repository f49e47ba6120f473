// array_meta: overflow-safe sizes and numpy's contiguity rules.
#include <brine/model/array_meta.hpp>

#include <doctest/doctest.h>

#include <limits>

using namespace brine;

namespace {
array_meta with_strides(dtype t, std::vector<std::uint64_t> shape, std::vector<std::int64_t> strides) {
    array_meta m;
    m.dtype = t;
    m.shape = std::move(shape);
    m.strides = std::move(strides);
    return m;
}
}  // namespace

TEST_CASE("sizes: 0-d holds one element, zero-size holds none, overflow is detected") {
    CHECK(array_meta::contiguous(dtype::float64, {}).size() == 1);
    CHECK(array_meta::contiguous(dtype::float64, {}).nbytes() == 8);
    CHECK(array_meta::contiguous(dtype::int16, {3, 0, 5}).nbytes() == 0);
    CHECK(array_meta::contiguous(dtype::complex128, {2, 3}).nbytes() == 96);

    auto huge = array_meta::contiguous(dtype::float64, {std::uint64_t{1} << 32, std::uint64_t{1} << 32});
    CHECK_FALSE(huge.checked_size());  // 2^64 elements
    CHECK_FALSE(huge.checked_nbytes());
    CHECK(huge.size() == std::numeric_limits<std::uint64_t>::max());
    CHECK(huge.nbytes() == std::numeric_limits<std::uint64_t>::max());

    auto elements_fit_bytes_do_not = array_meta::contiguous(dtype::float64, {std::uint64_t{1} << 62});
    CHECK(elements_fit_bytes_do_not.checked_size() == std::uint64_t{1} << 62);
    CHECK_FALSE(elements_fit_bytes_do_not.checked_nbytes());

    // A zero dimension wins over any overflow of the others.
    auto empty_but_wide = array_meta::contiguous(dtype::float64, {0, std::uint64_t{1} << 40, std::uint64_t{1} << 40});
    CHECK(empty_but_wide.checked_nbytes() == 0u);

    array_meta invalid;
    invalid.dtype = static_cast<dtype>(200);
    CHECK_FALSE(invalid.checked_nbytes());
}

TEST_CASE("contiguous strides follow numpy, zero-length axes counting as 1") {
    CHECK(array_meta::contiguous_strides({2, 3, 4}, 8, memory_order::c) == std::vector<std::int64_t>{96, 32, 8});
    CHECK(array_meta::contiguous_strides({2, 3, 4}, 8, memory_order::fortran) == std::vector<std::int64_t>{8, 16, 48});
    CHECK(array_meta::contiguous_strides({2, 0, 4}, 4, memory_order::c) == std::vector<std::int64_t>{16, 16, 4});
    CHECK(array_meta::contiguous_strides({}, 8, memory_order::c).empty());
}

TEST_CASE("layout: numpy's contiguity rules") {
    const auto c = array_meta::contiguous(dtype::int32, {2, 3});
    const auto f = array_meta::contiguous(dtype::int32, {2, 3}, memory_order::fortran);
    CHECK(c.is_c_contiguous());
    CHECK_FALSE(c.is_f_contiguous());
    CHECK(c.layout() == memory_order::c);
    CHECK(f.is_f_contiguous());
    CHECK_FALSE(f.is_c_contiguous());
    CHECK(f.layout() == memory_order::fortran);

    // At most one axis longer than 1: both, reported as C.
    for (auto shape : {std::vector<std::uint64_t>{5}, {1, 5}, {5, 1}, {}, {1, 1, 1}}) {
        const auto m = array_meta::contiguous(dtype::float64, shape, memory_order::fortran);
        CHECK(m.is_c_contiguous());
        CHECK(m.is_f_contiguous());
        CHECK(m.layout() == memory_order::c);
    }
    // Axes of length 1 constrain no stride.
    CHECK(with_strides(dtype::float64, {3, 1}, {8, 12345}).is_c_contiguous());
    CHECK(with_strides(dtype::float64, {1, 3}, {-7, 8}).is_c_contiguous());
    // Zero-size arrays are contiguous whatever the strides.
    CHECK(with_strides(dtype::float64, {0, 3}, {1, 1}).is_c_contiguous());
    CHECK(with_strides(dtype::float64, {0, 3}, {1, 1}).is_f_contiguous());
    // Strided views are neither; mismatched ranks neither.
    const auto strided = with_strides(dtype::float64, {2, 3}, {48, 16});
    CHECK_FALSE(strided.is_c_contiguous());
    CHECK_FALSE(strided.is_f_contiguous());
    CHECK_FALSE(with_strides(dtype::float64, {2, 3}, {24}).is_c_contiguous());
}

TEST_CASE("describe and shape_text read like numpy") {
    CHECK(array_meta::contiguous(dtype::float64, {10}).describe() == "float64 array of shape (10,)");
    CHECK(array_meta::contiguous(dtype::int8, {10, 3}).describe() == "int8 array of shape (10, 3)");
    CHECK(array_meta::contiguous(dtype::bool_, {}).describe() == "bool array of shape ()");
    auto big = array_meta::contiguous(dtype::float32, {4});
    big.order = native_byte_order == byte_order::little ? byte_order::big : byte_order::little;
    CHECK(big.describe().find("-endian float32 array of shape (4,)") != std::string::npos);
}
