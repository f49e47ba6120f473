// ndarray: validation, element access in any layout and byte order,
// logical equality, copies and sharing.
#include <brine/value/ndarray.hpp>
#include <brine/value/value.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace brine;

namespace {

constexpr byte_order foreign_order = native_byte_order == byte_order::little ? byte_order::big : byte_order::little;

// The same elements stored in the other byte order.
template <element T>
ndarray foreign_copy_of(std::span<const T> elements, std::vector<std::uint64_t> shape, memory_order o = memory_order::c) {
    auto meta = array_meta::contiguous(dtype_of<T>, std::move(shape), o);
    meta.order = foreign_order;
    auto data = io::buffer::allocate(elements.size_bytes());
    std::memcpy(data.data(), elements.data(), elements.size_bytes());
    const std::size_t width = std::is_same_v<T, std::complex<double>> ? 8 : sizeof(T);
    for (std::size_t i = 0; i < elements.size_bytes(); i += width) std::reverse(data.data() + i, data.data() + i + width);
    return ndarray(std::move(meta), std::move(data));
}

io::buffer read_only_view(const io::buffer& b) { return io::buffer(b.owner(), b.data(), b.size(), false, true); }

}  // namespace

TEST_CASE("default ndarray: float64 of shape (0,)") {
    ndarray a;
    CHECK(a.dtype() == dtype::float64);
    CHECK(a.shape() == std::vector<std::uint64_t>{0});
    CHECK(a.size() == 0);
    CHECK(a.nbytes() == 0);
    CHECK(a.elements<double>().empty());
    CHECK(a == ndarray::zeros(dtype::float64, {0}));
}

TEST_CASE("zeros and copy_of, C and F order") {
    const auto z = ndarray::zeros(dtype::int32, {2, 3}, memory_order::fortran);
    CHECK(z.layout() == memory_order::fortran);
    CHECK(std::all_of(z.elements<std::int32_t>().begin(), z.elements<std::int32_t>().end(), [](auto x) { return x == 0; }));
    CHECK(reinterpret_cast<std::uintptr_t>(z.bytes().data()) % io::array_alignment == 0);

    const std::vector<double> memory = {1, 4, 2, 5, 3, 6};  // [[1,2,3],[4,5,6]] in F order
    const auto f = ndarray::copy_of<double>(memory, {2, 3}, memory_order::fortran);
    const std::vector<double> rows = {1, 2, 3, 4, 5, 6};
    const auto c = ndarray::copy_of<double>(rows, {2, 3});
    CHECK(f.at(1).as<double>() == 4);  // memory order
    const std::uint64_t index[] = {0, 1};
    CHECK(f.at(index).as<double>() == 2);  // logical index
    CHECK(c.at(index).as<double>() == 2);
    CHECK(f == c);  // same elements, different layouts
    CHECK_THROWS_AS(ndarray::copy_of<double>(rows, {4}), brine::error);
    const std::uint64_t too_far[] = {2, 0};
    CHECK_THROWS_AS(f.at(too_far), std::out_of_range);
    CHECK_THROWS_AS(f.at(6), std::out_of_range);
}

TEST_CASE("the constructor checks the buffer against the metadata") {
    auto meta = array_meta::contiguous(dtype::float32, {4});
    CHECK_THROWS_AS(ndarray(meta, io::buffer::allocate(12)), brine::error);
    CHECK_NOTHROW(ndarray(meta, io::buffer::allocate(16)));

    array_meta strided = meta;
    strided.strides = {8};
    CHECK_THROWS_AS(ndarray(strided, io::buffer::allocate(16)), brine::error);

    array_meta shorthand = meta;
    shorthand.strides.clear();  // empty strides mean C order
    CHECK(ndarray(shorthand, io::buffer::allocate(16)).meta().strides == std::vector<std::int64_t>{4});

    array_meta bad_dtype = meta;
    bad_dtype.dtype = static_cast<dtype>(99);
    CHECK_THROWS_AS(ndarray(bad_dtype, io::buffer::allocate(16)), brine::error);
}

TEST_CASE("typed element views check dtype, byte order, writability") {
    const std::vector<std::int16_t> v = {1, -2, 3};
    auto a = ndarray::copy_of<std::int16_t>(v, {3});
    CHECK(a.elements<std::int16_t>()[1] == -2);
    CHECK_THROWS_AS(a.elements<std::int32_t>(), type_error);
    a.mutable_elements<std::int16_t>()[1] = 7;
    CHECK(a.at(1).as<int>() == 7);

    const ndarray shared = a;  // copies share the bytes
    CHECK(shared.bytes().data() == a.bytes().data());

    ndarray read_only(a.meta(), read_only_view(a.buffer()));
    CHECK(read_only.mapped());
    CHECK_FALSE(read_only.writable());
    CHECK(read_only.elements<std::int16_t>()[1] == 7);
    CHECK_THROWS_AS(read_only.mutable_elements<std::int16_t>(), type_error);
    CHECK(read_only.copy().writable());
    CHECK_FALSE(read_only.copy().mapped());

    const auto foreign = foreign_copy_of<std::int16_t>(v, {3});
    CHECK_THROWS_AS(foreign.elements<std::int16_t>(), type_error);
    CHECK(foreign.to_native().elements<std::int16_t>()[1] == -2);
}

TEST_CASE("non-native byte order: element access, to_native and equality see the numbers") {
    const std::vector<double> d = {1.5, -2.25, std::numeric_limits<double>::infinity(), 1e-300};
    const auto native = ndarray::copy_of<double>(d, {2, 2});
    const auto foreign = foreign_copy_of<double>(d, {2, 2});
    CHECK(foreign.at(1).as<double>() == -2.25);
    CHECK(foreign == native);
    CHECK(foreign.to_native().meta().order == native_byte_order);
    CHECK(std::memcmp(foreign.to_native().bytes().data(), native.bytes().data(), native.nbytes()) == 0);

    const std::vector<std::complex<double>> z = {{1, 2}, {-3, 4}};
    const auto zf = foreign_copy_of<std::complex<double>>(z, {2});
    CHECK(zf.at(1).as<std::complex<double>>() == std::complex<double>(-3, 4));
    CHECK(zf == ndarray::copy_of<std::complex<double>>(z, {2}));
}

TEST_CASE("equality: dtype, shape and elements; NaN equals NaN across payloads and layouts") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> a = {1, nan, 3, 4};
    const std::vector<double> b = {1, -nan, 3, 4};
    CHECK(ndarray::copy_of<double>(a, {4}) == ndarray::copy_of<double>(b, {4}));
    CHECK_FALSE(ndarray::copy_of<double>(a, {4}) == ndarray::copy_of<double>(a, {2, 2}));
    CHECK_FALSE(ndarray::copy_of<double>(a, {4}) == ndarray::copy_of<float>(std::vector<float>{1, static_cast<float>(nan), 3, 4}, {4}));
    const std::vector<double> c = {1, 2, 3, 5};
    CHECK_FALSE(ndarray::copy_of<double>(c, {4}) == ndarray::copy_of<double>(a, {4}));

    // [[1,2],[3,4]] in C order and in F order.
    const std::vector<int> rows = {1, 2, 3, 4}, cols = {1, 3, 2, 4}, other = {1, 2, 3, 4};
    CHECK(ndarray::copy_of<int>(rows, {2, 2}) == ndarray::copy_of<int>(cols, {2, 2}, memory_order::fortran));
    CHECK_FALSE(ndarray::copy_of<int>(rows, {2, 2}) == ndarray::copy_of<int>(other, {2, 2}, memory_order::fortran));

    // Zero-size arrays of the same shape are equal; other shapes are not.
    CHECK(ndarray::zeros(dtype::uint8, {3, 0}) == ndarray::zeros(dtype::uint8, {3, 0}, memory_order::fortran));
    CHECK_FALSE(ndarray::zeros(dtype::uint8, {3, 0}) == ndarray::zeros(dtype::uint8, {0, 3}));
}

TEST_CASE("bool bytes other than 0 and 1 read as true") {
    auto a = ndarray::zeros(dtype::bool_, {3});
    a.buffer().data()[1] = std::byte{2};
    CHECK(a.at(1).as<bool>());
    std::vector<std::uint8_t> ones = {0, 1, 0};
    auto b = ndarray::zeros(dtype::bool_, {3});
    std::memcpy(b.buffer().data(), ones.data(), 3);
    CHECK(a == b);
}

TEST_CASE("ndarray: default and moved-from arrays are the empty float64 array; copies share the bytes") {
    const brine::ndarray empty;
    CHECK(empty.dtype() == brine::dtype::float64);
    CHECK(empty.shape() == std::vector<std::uint64_t>{0});
    CHECK(empty.size() == 0);

    auto a = brine::ndarray::copy_of<std::int32_t>(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, {2, 3});
    const brine::ndarray shared = a;
    CHECK(shared.bytes().data() == a.bytes().data());
    a.mutable_elements<std::int32_t>()[0] = 42;
    CHECK(shared.elements<std::int32_t>()[0] == 42);

    brine::ndarray moved = std::move(a);
    CHECK(moved.shape() == std::vector<std::uint64_t>{2, 3});
    CHECK(a.size() == 0);  // NOLINT(bugprone-use-after-move): valid, empty
    CHECK(a.dtype() == brine::dtype::float64);
    CHECK(sizeof(brine::value) <= 48);  // the reason for the indirection
}
