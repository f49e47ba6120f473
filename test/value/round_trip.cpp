// brine::value, ndarray and brine::array through the record writer and
// reader, from every kind of source, with and without mapping.
#include "../format/source_kinds.hpp"

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/memory.hpp>
#include <brine/types/brine_array.hpp>
#include <brine/types/value.hpp>

#include <doctest/doctest.h>

#include <xtensor/xmath.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

using namespace brine;
using brine::test::all_source_kinds;
using brine::test::make_source;
using brine::test::source_kind;

namespace {

template <class T>
std::vector<std::byte> dump_to_bytes(const T& v) {
    io::memory_sink sink;
    format::writer w(sink);
    brine::save(w, v);
    w.finish();
    return std::move(sink).take();
}

template <class T>
T load_from_bytes(std::vector<std::byte> file, source_kind kind = source_kind::mapped, load_options options = {}) {
    auto source = make_source(kind, std::move(file));
    format::reader r(*source, options);
    T v{};
    brine::load(r, v);
    r.finish();
    return v;  // arrays may still borrow the source's memory: it is shared
}

constexpr byte_order foreign_order = native_byte_order == byte_order::little ? byte_order::big : byte_order::little;

// An ndarray whose bytes are in the other byte order, holding `values`.
template <element T>
ndarray foreign(std::vector<T> values, std::vector<std::uint64_t> shape) {
    auto native = ndarray::copy_of<T>(values, std::move(shape));
    auto meta = native.meta();
    meta.order = foreign_order;
    auto bytes = native.copy().buffer();
    for (std::size_t i = 0; i < bytes.size(); i += sizeof(T)) std::reverse(bytes.data() + i, bytes.data() + i + sizeof(T));
    return ndarray(meta, bytes);
}

value every_kind() {
    const std::vector<double> w = {1, 2, 3, 4, 5, 6};
    const std::vector<std::int16_t> f = {1, 4, 2, 5, 3, 6};
    return dict{
        {"none", none},
        {"bool", true},
        {"extremes", list{std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(),
                          std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity(),
                          -0.0, std::complex<float>(1, -1), std::int8_t{-128}}},
        {"text", "r\xc3\xa9sum\xc3\xa9 \xe2\x9c\x93"},
        {"blob", bytes{std::byte{0}, std::byte{0xff}}},
        {"empty", list{list{}, dict{}, map{}, bytes{}, ""}},
        {"nested", list{dict{{"deeper", list{list{list{1}}}}}}},
        {"map", map{{value(std::int32_t{3}), "three"}, {list{1, 2}, none}}},
        {"w", ndarray::copy_of<double>(w, {2, 3})},
        {"f", ndarray::copy_of<std::int16_t>(f, {2, 3}, memory_order::fortran)},
        {"zero_d", ndarray::copy_of<float>(std::vector<float>{2.5f}, {})},
        {"zero_size", ndarray::zeros(dtype::complex128, {0, 4})},
        {"big_endian", foreign<std::uint32_t>({1, 2, 3}, {3})},
    };
}

}  // namespace

TEST_CASE("every kind of value round-trips, from every source, mapped or not") {
    const value original = every_kind();
    const auto file = dump_to_bytes(original);
    for (auto kind : all_source_kinds) {
        for (auto mode : {mmap_mode::none, mmap_mode::read_only}) {
            CAPTURE(static_cast<int>(kind));
            CAPTURE(static_cast<int>(mode));
            const value loaded = load_from_bytes<value>(file, kind, {.mmap = mode});
            CHECK(loaded == original);
            CHECK(to_string(loaded) == to_string(original));
            // Insertion order is kept.
            CHECK(loaded.as_dict().begin()->first == "none");
            const auto& w = loaded["w"].as_array();
            CHECK(w.mapped() == (kind == source_kind::mapped && mode != mmap_mode::none));
            CHECK(loaded["f"].as_array().layout() == memory_order::fortran);
            CHECK(loaded["big_endian"].as_array().meta().order == foreign_order);  // kept as stored
            CHECK(loaded["big_endian"].as_array().at(2).as<std::uint32_t>() == 3);
        }
    }
}

TEST_CASE("a mapped value array keeps the source's memory alive and is read-only") {
    const std::vector<double> w(1000, 1.5);
    const auto file = dump_to_bytes(value(dict{{"w", ndarray::copy_of<double>(w, {1000})}}));
    value loaded = load_from_bytes<value>(file, source_kind::mapped, {.mmap = mmap_mode::read_only});
    ndarray& a = loaded["w"].as_array();
    CHECK(a.mapped());
    CHECK_FALSE(a.writable());
    CHECK(a.elements<double>()[999] == 1.5);
    CHECK_THROWS_AS(a.mutable_elements<double>(), type_error);
}

TEST_CASE("ndarray round-trips as stored") {
    const auto a = foreign<double>({1.5, -2}, {2});
    const auto loaded = load_from_bytes<ndarray>(dump_to_bytes(a));
    CHECK(loaded.meta() == a.meta());
    CHECK(loaded == a);
    CHECK_THROWS_AS(load_from_bytes<ndarray>(dump_to_bytes(value(1))), type_error);
}

TEST_CASE("brine::array and tensor round-trip in their layout; mapping is zero-copy") {
    array<float> f = xt::xarray<float, xt::layout_type::column_major>{{1, 2, 3}, {4, 5, 6}};
    const auto file = dump_to_bytes(f);
    CHECK(load_from_bytes<value>(file) == value(f.to_ndarray()));  // loads as a value too
    for (auto kind : all_source_kinds) {
        CAPTURE(static_cast<int>(kind));
        auto owned = load_from_bytes<array<float>>(file, kind);
        CHECK(owned.memory_layout() == memory_order::fortran);
        CHECK(xt::all(xt::equal(owned, f)));
        CHECK(owned.is_writable());
        CHECK_FALSE(owned.is_mapped());

        auto mapped = load_from_bytes<tensor<const float, 2>>(file, kind, {.mmap = mmap_mode::read_only});
        CHECK(xt::all(xt::equal(mapped, f)));
        CHECK(mapped.is_mapped() == (kind == source_kind::mapped));
    }
    CHECK_THROWS_AS((load_from_bytes<tensor<float, 3>>(file)), type_error);
}

TEST_CASE("a mutable array cannot map read-only memory: type_error naming array<const T>") {
    array<double> a = xt::xarray<double>{1, 2, 3};
    const auto file = dump_to_bytes(a);
    try {
        (void)load_from_bytes<array<double>>(file, source_kind::mapped, {.mmap = mmap_mode::read_only});
        FAIL("no throw");
    } catch (const type_error& e) {
        CHECK(std::string(e.what()).find("brine::array<const float64>") != std::string::npos);
    }
    // Unmapped, it owns writable memory.
    auto loaded = load_from_bytes<array<double>>(file, source_kind::mapped);
    loaded(0) = 7;
    CHECK(loaded(0) == 7);
}

TEST_CASE("lossless dtype conversion copies; lossy is a type_error with the path") {
    const std::vector<std::int16_t> small = {-3, 0, 30000};
    const auto file = dump_to_bytes(value(dict{{"x", ndarray::copy_of<std::int16_t>(small, {3})}}));
    const auto x_file = dump_to_bytes(ndarray::copy_of<std::int16_t>(small, {3}));
    for (auto kind : all_source_kinds) {
        auto wide = load_from_bytes<array<std::int64_t>>(x_file, kind, {.mmap = mmap_mode::read_only});
        CHECK(wide(2) == 30000);
        CHECK_FALSE(wide.is_mapped());
        auto real = load_from_bytes<array<const double>>(x_file, kind);
        CHECK(real(0) == -3.0);
    }
    try {
        (void)load_from_bytes<array<std::int8_t>>(x_file);
        FAIL("no throw");
    } catch (const type_error& e) {
        CHECK(std::string(e.what()).find("int16 array of shape (3,)") != std::string::npos);
        CHECK(std::string(e.what()).find("brine::array<int8>") != std::string::npos);
    }
    CHECK_THROWS_AS(load_from_bytes<array<float>>(dump_to_bytes(value("text"))), type_error);
}

TEST_CASE("non-native byte order: swapped when loaded into memory, an error when mapped") {
    const auto file = dump_to_bytes(foreign<double>({1.5, -2, 1e300}, {3}));
    for (auto kind : all_source_kinds) {
        auto swapped = load_from_bytes<array<double>>(file, kind);
        CHECK(swapped(0) == 1.5);
        CHECK(swapped(2) == 1e300);
        CHECK(swapped.to_ndarray().meta().order == native_byte_order);
        auto widened = load_from_bytes<array<std::complex<double>>>(file, kind);  // converted, swapped on the way
        CHECK(widened(1) == std::complex<double>(-2, 0));
    }
    CHECK_THROWS_AS(load_from_bytes<array<const double>>(file, source_kind::mapped, {.mmap = mmap_mode::read_only}),
                    unsupported_error);
    // Unmappable sources (compressed, pipes) load it into memory, where it is swapped.
    auto piped = load_from_bytes<array<const double>>(file, source_kind::pipe, {.mmap = mmap_mode::read_only_or_load});
    CHECK(piped(1) == -2);
}

TEST_CASE("0-d and zero-size arrays; scalars load as 0-d arrays") {
    array<double> zero_d = xt::xarray<double>(4.25);
    CHECK(load_from_bytes<tensor<double, 0>>(dump_to_bytes(zero_d))() == 4.25);
    CHECK(load_from_bytes<array<double>>(dump_to_bytes(zero_d)).dimension() == 0);
    CHECK(load_from_bytes<array<double>>(dump_to_bytes(value(2.5f)))() == 2.5);
    CHECK_THROWS_AS(load_from_bytes<array<float>>(dump_to_bytes(value(2.5))), type_error);

    array<std::int32_t> empty = xt::zeros<std::int32_t>({0, 3});
    for (auto kind : all_source_kinds)
        for (auto mode : {mmap_mode::none, mmap_mode::read_only}) {
            auto loaded = load_from_bytes<array<const std::int32_t>>(dump_to_bytes(empty), kind, {.mmap = mode});
            CHECK(loaded.size() == 0);
            CHECK(loaded.shape()[1] == 3);
        }
}

TEST_CASE("bool arrays: bytes other than 0/1 are normalized in memory, rejected when mapped") {
    auto flags = ndarray::zeros(dtype::bool_, {3});
    flags.buffer().data()[1] = std::byte{7};
    const auto file = dump_to_bytes(flags);
    auto owned = load_from_bytes<array<bool>>(file, source_kind::sized);
    CHECK(owned(1));
    CHECK(reinterpret_cast<const std::uint8_t*>(owned.data())[1] == 1);
    CHECK_THROWS_AS(load_from_bytes<array<const bool>>(file, source_kind::mapped, {.mmap = mmap_mode::read_only}),
                    corrupt_error);
    // brine::value keeps the bytes as stored and reads them as numpy does.
    CHECK(load_from_bytes<value>(file, source_kind::mapped, {.mmap = mmap_mode::read_only}).as_array().at(1).as<bool>());
}

TEST_CASE("large arrays go through in chunks") {
    const array<float> big = xt::arange<float>(300000);
    const auto file = dump_to_bytes(big);
    for (auto kind : all_source_kinds) {
        auto same = load_from_bytes<array<float>>(file, kind);
        CHECK(same(299999) == 299999.0f);
        auto widened = load_from_bytes<array<double>>(file, kind);
        CHECK(xt::sum(widened)() == doctest::Approx(299999.0 * 300000 / 2));
    }
}
