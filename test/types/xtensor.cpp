// xtensor containers, layouts, views and expressions.
#include "round_trip.hpp"

#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include <cmath>
#include <limits>

using namespace brine;
using namespace brine::test;

namespace {

template <class A>
A iota_like(A a) {
    std::iota(a.begin(), a.end(), typename A::value_type(1));
    return a;
}

// The stored metadata of a saved value.
array_meta stored_meta(const std::vector<std::byte>& file) {
    io::memory_source source(file);
    format::reader r(source, load_options{});
    array_meta m = r.begin_array();
    r.end_array();
    return m;
}

}  // namespace

TEST_CASE_TEMPLATE("xarray of every element type", T, bool, std::int8_t, std::uint16_t, std::int32_t, std::uint64_t,
                   float, double, std::complex<float>, std::complex<double>) {
    xt::xarray<T> a = xt::xarray<T>::from_shape({2, 3, 4});
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = static_cast<T>(i % 5);
    CHECK(round_trip(a) == a);
    CHECK(stored_meta(saved(a)).dtype == dtype_of<T>);
}

TEST_CASE("xtensor and xtensor_fixed") {
    const auto t = iota_like(xt::xtensor<float, 2>::from_shape({3, 5}));
    CHECK(round_trip(t) == t);
    const auto f = iota_like(xt::xtensor_fixed<double, xt::xshape<2, 3>>());
    CHECK(round_trip(f) == f);
    CHECK(load_error<xt::xtensor_fixed<double, xt::xshape<3, 2>>>(saved(f)) ==
          "root: stored float64 array of shape (2, 3), requested xt::xtensor_fixed<double, xt::xshape<3, 2>>");
    CHECK(load_error<xt::xtensor<float, 3>>(saved(t)) ==
          "root: stored float32 array of shape (3, 5), requested xt::xtensor<float, 3>");
    CHECK(converted<xt::xarray<float>>(t) == xt::xarray<float>(t));
}

TEST_CASE("0-d and zero-size arrays") {
    xt::xarray<double> scalar_array = xt::xarray<double>::from_shape({});
    scalar_array() = -2.5;
    CHECK(round_trip(scalar_array) == scalar_array);
    CHECK(stored_meta(saved(scalar_array)).shape.empty());
    CHECK(converted<double>(scalar_array) == -2.5);
    const auto empty = xt::xarray<int>::from_shape({0, 3});
    const auto back = round_trip(empty);
    CHECK(back.shape() == empty.shape());
    CHECK(round_trip(xt::xtensor<double, 1>::from_shape({0})).size() == 0);
    CHECK(round_trip(xt::xtensor_fixed<int, xt::xshape<>>{}).size() == 1);
}

TEST_CASE("NaN, infinities and extreme integers") {
    xt::xarray<double> a = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity()};
    const auto back = round_trip(xt::xarray<double>(xt::view(a, xt::range(1, 3))));
    CHECK(back(0) == a(1));
    CHECK(back(1) == a(2));
    CHECK(std::isnan(loaded<xt::xarray<double>>(saved(a))(0)));
    xt::xtensor<std::int64_t, 1> e = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
    CHECK(round_trip(e) == e);
}

TEST_CASE("column-major containers are stored F-ordered and load in either layout") {
    using column_major = xt::xarray<double, xt::layout_type::column_major>;
    const auto f = iota_like(column_major::from_shape({3, 4, 2}));
    CHECK(round_trip(f) == f);
    const auto meta = stored_meta(saved(f));
    CHECK(meta.layout() == memory_order::fortran);
    CHECK(!meta.is_c_contiguous());

    // F-ordered data into a row-major container: same logical elements.
    const auto c = converted<xt::xarray<double>>(f);
    CHECK(c == f);
    CHECK(c(2, 1, 0) == f(2, 1, 0));
    // And back, with a dtype conversion on the way.
    const auto c32 = iota_like(xt::xtensor<std::int32_t, 2>::from_shape({5, 7}));
    const auto f64 = converted<xt::xtensor<double, 2, xt::layout_type::column_major>>(c32);
    CHECK(f64 == c32);
    // A dynamic-layout container takes the stored layout.
    const auto d = converted<xt::xarray<double, xt::layout_type::dynamic>>(f);
    CHECK(d.layout() == xt::layout_type::column_major);
    CHECK(d == f);
    const auto fixed = converted<xt::xtensor_fixed<float, xt::xshape<3, 4, 2>>>(xt::xarray<float, xt::layout_type::column_major>(f));
    CHECK(fixed(1, 2, 1) == f(1, 2, 1));
}

TEST_CASE("large F-ordered arrays from every source kind (chunked placement, growing payload)") {
    // 1100 x 700 doubles = 6.2 MB: beyond what the reader trusts from a pipe.
    using column_major = xt::xtensor<double, 2, xt::layout_type::column_major>;
    const auto f = iota_like(column_major::from_shape({1100, 700}));
    const auto c = converted<xt::xtensor<double, 2>>(f);
    CHECK(c == f);
    CHECK(converted<xt::xtensor<double, 2, xt::layout_type::column_major>>(f) == f);
    const auto wide = converted<xt::xarray<std::complex<double>>>(xt::xtensor<float, 2>(f));
    CHECK(wide(1099, 699) == std::complex<double>(f(1099, 699), 0));
}

TEST_CASE("strided views and expressions are saved without a temporary and load as containers") {
    const auto a = iota_like(xt::xarray<double>::from_shape({10, 4}));
    auto strided = xt::view(a, xt::range(0, 10, 3), xt::all());
    const auto file = saved(strided);
    const auto meta = stored_meta(file);
    CHECK(meta.shape == std::vector<std::uint64_t>{4, 4});
    CHECK(loaded<xt::xarray<double>>(file) == xt::xarray<double>(strided));
    CHECK(loaded<xt::xtensor<double, 2>>(saved(xt::transpose(a))) == xt::xtensor<double, 2>(xt::transpose(a)));
    CHECK(loaded<xt::xarray<double>>(saved(a * 2.0 + 1.0)) == xt::xarray<double>(a * 2.0 + 1.0));
    // Bigger than one chunk, to cross buffer boundaries.
    const auto big = iota_like(xt::xtensor<float, 2>::from_shape({300, 301}));
    auto column = xt::view(big, xt::all(), xt::range(1, 301, 2));
    CHECK(loaded<xt::xtensor<float, 2>>(saved(column)) == xt::xtensor<float, 2>(column));
}

TEST_CASE("dtype rules and byte order for arrays") {
    const auto i64 = iota_like(xt::xarray<std::int64_t>::from_shape({4}));
    CHECK(load_error<xt::xarray<std::int32_t>>(saved(i64)) ==
          "root: stored int64 array of shape (4,), requested xt::xarray<std::int32_t>");
    CHECK(load_error<xt::xarray<double>>(saved(std::string("x"))) ==
          "root: stored string, requested xt::xarray<double>");
    CHECK(converted<xt::xarray<double>>(xt::xarray<std::int32_t>(i64)) == xt::xarray<double>(i64));

    const auto big_endian = written([](format::writer& w) {
        auto meta = array_meta::contiguous(dtype::float64, {2, 2}, memory_order::fortran);
        meta.order = byte_order::big;
        w.begin_array(meta);
        for (double v : {1.0, 2.0, 3.0, 4.0}) {  // F order: (0,0) (1,0) (0,1) (1,1)
            auto bytes = std::bit_cast<std::array<std::byte, 8>>(v);
            std::reverse(bytes.begin(), bytes.end());
            w.write_array_data(bytes);
        }
        w.end_array();
    });
    const xt::xarray<double> expected = {{1.0, 3.0}, {2.0, 4.0}};
    CHECK(loaded<xt::xarray<double>>(big_endian) == expected);
    CHECK(loaded<xt::xarray<double, xt::layout_type::column_major>>(big_endian) == expected);
    CHECK(loaded<xt::xarray<std::complex<double>>>(big_endian) == xt::xarray<std::complex<double>>(expected));
}

TEST_CASE("nested: map<string, vector<xtensor<float, 2>>>") {
    std::map<std::string, std::vector<xt::xtensor<float, 2>>> layers;
    layers["conv"] = {iota_like(xt::xtensor<float, 2>::from_shape({3, 3})), xt::xtensor<float, 2>::from_shape({0, 2})};
    layers["dense"] = {};
    layers["\xce\xbb"] = {xt::xtensor<float, 2>{{1.f, std::numeric_limits<float>::infinity()}}};
    CHECK(round_trip(layers) == layers);
    CHECK(load_error<std::map<std::string, std::vector<xt::xtensor<float, 1>>>>(saved(layers)) ==
          "root[\"conv\"][0]: stored float32 array of shape (3, 3), requested xt::xtensor<float, 1>");
}

TEST_CASE("xtensor type names") {
    CHECK(type_name<xt::xtensor<float, 2>>() == "xt::xtensor<float, 2>");
    CHECK(type_name<xt::xarray<std::int16_t, xt::layout_type::column_major>>() ==
          "xt::xarray<std::int16_t, xt::layout_type::column_major>");
    CHECK(type_name<xt::xtensor_fixed<bool, xt::xshape<2, 3>>>() == "xt::xtensor_fixed<bool, xt::xshape<2, 3>>");
}
