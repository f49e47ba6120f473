// brine::array<T> / brine::tensor<T, N>: xtensor expressions over shared
// owned or mapped memory.
#include <brine/value/array.hpp>

#include <doctest/doctest.h>

#include <xtensor/xio.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include <complex>
#include <cstring>
#include <sstream>

using namespace brine;

// Writes through a read-only array do not compile.
template <class A>
concept element_writable = requires(A a) { a(0) = 1; };
template <class A>
concept compound_assignable = requires(A a) { a += 1; };
static_assert(element_writable<array<double>>);
static_assert(!element_writable<array<const double>>);
static_assert(!element_writable<tensor<const int, 1>>);
static_assert(xt::is_xexpression<array<float>>::value);
static_assert(xt::is_xexpression<tensor<const float, 3>>::value);
static_assert(std::is_default_constructible_v<array<double>> && std::is_default_constructible_v<tensor<int, 2>>);

TEST_CASE("default arrays are empty (a 0-d tensor holds one zero)") {
    array<double> a;
    CHECK(a.size() == 0);
    CHECK(a.dimension() == 1);
    CHECK(xt::sum(a)() == 0);
    tensor<int, 2> t;
    CHECK(t.size() == 0);
    CHECK(t.shape()[0] == 0);
    tensor<int, 0> s;
    CHECK(s.size() == 1);
    CHECK(s() == 0);
}

TEST_CASE("built from an expression: owned, aligned, C order unless the expression is column-major") {
    array<double> a = xt::xarray<double>{{1, 2, 3}, {4, 5, 6}};
    CHECK(a.shape()[0] == 2);
    CHECK(a(1, 2) == 6);
    CHECK(a.memory_layout() == memory_order::c);
    CHECK_FALSE(a.is_mapped());
    CHECK(a.is_writable());
    CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % io::array_alignment == 0);

    xt::xarray<float, xt::layout_type::column_major> f = {{1, 2}, {3, 4}};
    array<float> af = f;
    CHECK(af.memory_layout() == memory_order::fortran);
    CHECK(af.data()[1] == 3);  // memory order is F
    CHECK(af(0, 1) == 2);

    tensor<std::int64_t, 1> converted = xt::arange<int>(5);  // element type converts
    CHECK(converted(4) == 4);
    CHECK_THROWS_AS((tensor<int, 2>(xt::xarray<int>{1, 2, 3})), type_error);  // wrong rank
}

TEST_CASE("works in xtensor expressions: reductions, arithmetic, views, printing") {
    array<double> a = xt::xarray<double>{{1, 2, 3}, {4, 5, 6}};
    CHECK(xt::sum(a)() == 21);
    xt::xarray<double> b = a + 1;
    CHECK(b(1, 2) == 7);
    CHECK(xt::amax(xt::view(a, 1, xt::all()))() == 6);
    CHECK(xt::allclose(xt::transpose(a), xt::xarray<double>{{1, 4}, {2, 5}, {3, 6}}));
    std::ostringstream os;
    os << a;
    CHECK(os.str().find("6.") != std::string::npos);

    tensor<float, 2> t = xt::xtensor<float, 2>{{1, 2}, {3, 4}};
    CHECK(xt::mean(t)() == doctest::Approx(2.5));
    array<const float> ro = array<float>(t);
    CHECK(xt::sum(ro * 2)() == 20);
}

TEST_CASE("assignment writes into the array's own memory, in its layout") {
    array<double> a = xt::xarray<double>{{1, 2}, {3, 4}};
    array<double> same = a;  // copies share
    const double* memory = a.data();
    a += 1;
    a = a * 10;
    xt::view(a, 0, xt::all()) = 0;
    a(1, 1) = -1;
    CHECK(a.data() == memory);
    CHECK(same(1, 0) == 40);
    CHECK(same(1, 1) == -1);
    CHECK(same(0, 1) == 0);

    array<int> f = xt::xarray<int, xt::layout_type::column_major>{{1, 2}, {3, 4}};
    f = xt::xarray<int>{{5, 6}, {7, 8}};  // a row-major value into an F array
    CHECK(f.memory_layout() == memory_order::fortran);
    CHECK(f.data()[1] == 7);

    CHECK_THROWS_AS((a = xt::xarray<double>{1, 2, 3}), brine::error);  // the storage cannot grow
    CHECK(a.shape().size() == 2);  // unchanged by the failed assignment
    CHECK_THROWS_AS((xt::noalias(a) = xt::xarray<double>{1, 2, 3}), brine::error);

    array<double> empty;
    empty = xt::xarray<double>{1, 2, 3};  // nothing to write into: takes new memory
    CHECK(empty.size() == 3);

    array<double> other = xt::xarray<double>{9};
    other = a;  // array to array rebinds
    CHECK(other.data() == a.data());
}

TEST_CASE("copy() detaches; array<const T> shares") {
    array<double> a = xt::xarray<double>{1, 2};
    auto c = a.copy();
    c(0) = 100;
    CHECK(a(0) == 1);
    array<const double> ro = a;
    CHECK(ro.data() == a.data());
    CHECK_FALSE(ro.is_writable());
    auto writable = ro.copy();
    static_assert(std::is_same_v<decltype(writable), array<double>>);
    writable(1) = 5;
    CHECK(ro(1) == 2);
}

TEST_CASE("to_ndarray and from share the bytes; from checks dtype, order, rank, writability") {
    array<float> a = xt::xarray<float, xt::layout_type::column_major>{{1, 2, 3}, {4, 5, 6}};
    ndarray n = a.to_ndarray();
    CHECK(n.dtype() == dtype::float32);
    CHECK(n.layout() == memory_order::fortran);
    CHECK(n.bytes().data() == reinterpret_cast<const std::byte*>(a.data()));
    const std::uint64_t index[] = {0, 2};
    CHECK(n.at(index).as<float>() == 3);

    auto back = array<float>::from(n);
    CHECK(back.data() == a.data());
    CHECK(back.memory_layout() == memory_order::fortran);
    CHECK(back(1, 0) == 4);
    auto fixed = tensor<float, 2>::from(n);
    CHECK(fixed(1, 2) == 6);

    CHECK_THROWS_AS(array<double>::from(n), type_error);
    CHECK_THROWS_AS((tensor<float, 3>::from(n)), type_error);

    auto foreign_meta = n.meta();
    foreign_meta.order = native_byte_order == byte_order::little ? byte_order::big : byte_order::little;
    CHECK_THROWS_AS(array<float>::from(ndarray(foreign_meta, n.buffer())), type_error);

    const io::buffer& b = n.buffer();
    const ndarray read_only(n.meta(), io::buffer(b.owner(), b.data(), b.size(), false, true));
    try {
        (void)array<float>::from(read_only);
        FAIL("no throw");
    } catch (const type_error& e) {
        CHECK(std::string(e.what()).find("brine::array<const float32>") != std::string::npos);
    }
    auto mapped = array<const float>::from(read_only);
    CHECK(mapped.is_mapped());
    CHECK(xt::sum(mapped)() == 21);
}

TEST_CASE("the memory outlives every other owner") {
    array<const std::int32_t> survivor;
    {
        auto n = ndarray::zeros(dtype::int32, {4});
        n.mutable_elements<std::int32_t>()[3] = 9;
        survivor = array<const std::int32_t>::from(n);
    }
    CHECK(survivor(3) == 9);
}

TEST_CASE("0-d and zero-size arrays") {
    array<double> scalar0 = xt::xarray<double>(3.5);
    CHECK(scalar0.dimension() == 0);
    CHECK(scalar0() == 3.5);
    CHECK(scalar0.to_ndarray().shape().empty());
    tensor<double, 0> t0 = tensor<double, 0>::from(scalar0.to_ndarray());
    CHECK(t0() == 3.5);

    array<std::complex<double>> none = xt::zeros<std::complex<double>>({3, 0});
    CHECK(none.size() == 0);
    CHECK(xt::sum(none)() == std::complex<double>(0, 0));
    ndarray n = none.to_ndarray();
    CHECK(n.shape() == std::vector<std::uint64_t>{3, 0});
    CHECK(array<std::complex<double>>::from(n).shape()[0] == 3);
}

TEST_CASE("bool arrays") {
    array<bool> b = xt::xarray<int>{0, 2, 1} > 0;
    CHECK(b.to_ndarray().dtype() == dtype::bool_);
    CHECK(xt::sum(b)() == 2);
}
