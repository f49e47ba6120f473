// The tree of fixtures.py's sample(), as brine::value, with Python's types
// mapped the way docs/interop.md says (set -> list, tuple -> a list flagged as a tuple, int-keyed dict ->
// map, object arrays -> nested lists, numpy scalars keep their dtype).
#pragma once

#include "../common/files.hpp"

#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/value/value.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace brine::test {

using namespace brine;

// fixtures.py's arange(): 0, 1, 2... in C (logical) order, stored in `order`.
inline ndarray arange(dtype t, std::vector<std::uint64_t> shape, memory_order order = memory_order::c) {
    auto a = ndarray::zeros(t, shape, order);
    const auto& strides = a.meta().strides;
    auto* base = const_cast<std::byte*>(a.bytes().data());
    const std::uint64_t n = a.size();
    std::vector<std::uint64_t> index(shape.size(), 0);
    for (std::uint64_t i = 0; i < n; ++i) {
        std::int64_t offset = 0;
        for (std::size_t d = 0; d < shape.size(); ++d) offset += static_cast<std::int64_t>(index[d]) * strides[d];
        auto* p = base + offset;
        auto put = [&](auto x) { std::memcpy(p, &x, sizeof x); };
        switch (t) {
        case dtype::bool_: put(static_cast<bool>(i % 2 == 0)); break;
        case dtype::int8: put(static_cast<std::int8_t>(i)); break;
        case dtype::int16: put(static_cast<std::int16_t>(i)); break;
        case dtype::int32: put(static_cast<std::int32_t>(i)); break;
        case dtype::int64: put(static_cast<std::int64_t>(i)); break;
        case dtype::uint8: put(static_cast<std::uint8_t>(i)); break;
        case dtype::uint16: put(static_cast<std::uint16_t>(i)); break;
        case dtype::uint32: put(static_cast<std::uint32_t>(i)); break;
        case dtype::uint64: put(static_cast<std::uint64_t>(i)); break;
        case dtype::float16: put(float_to_half(static_cast<float>(i))); break;
        case dtype::float32: put(static_cast<float>(i)); break;
        case dtype::float64: put(static_cast<double>(i)); break;
        case dtype::complex64: put(std::complex<float>(static_cast<float>(i), static_cast<float>(i))); break;
        case dtype::complex128: put(std::complex<double>(static_cast<double>(i), static_cast<double>(i))); break;
        case dtype::datetime64: case dtype::timedelta64: put(static_cast<std::int64_t>(i)); break;
        case dtype::bytes: case dtype::str: case dtype::record: break;  // built by from_strings and record fixtures
        }
        for (std::size_t d = shape.size(); d-- > 0;) {  // next logical (row-major) index
            if (++index[d] < shape[d]) break;
            index[d] = 0;
        }
    }
    if (!has_time_unit(t)) return a;
    auto meta = a.meta();
    meta.unit = {time_unit::second, 1};  // fixtures.py's M8[s], m8[s]
    return ndarray(std::move(meta), a.buffer());
}

// fixtures.py's record array: [('i', '<i2'), ('pos', [('x', '>f4'), ('y',
// '<f4')]), ('v', '<u2', (2,)), ('s', 'S2')], 16 bytes packed.
inline ndarray record_array() {
    auto number = [](dtype t, byte_order o) { return element_type{t, o, {}, 1, {}}; };
    const element_type pos{dtype::record, native_byte_order, {}, 8,
                           {{"x", 0, number(dtype::float32, byte_order::big), {}}, {"y", 4, number(dtype::float32, byte_order::little), {}}}};
    const element_type type{dtype::record, native_byte_order, {}, 16,
                            {{"i", 0, number(dtype::int16, byte_order::little), {}},
                             {"pos", 2, pos, {}},
                             {"v", 10, number(dtype::uint16, byte_order::little), {2}},
                             {"s", 14, element_type{dtype::bytes, native_byte_order, {}, 2, {}}, {}}}};
    auto data = io::buffer::allocate(32);
    std::memset(data.data(), 0, 32);
    auto put = [](std::byte* at, auto v, byte_order o) {
        std::memcpy(at, &v, sizeof v);
        if (o != native_byte_order) std::reverse(at, at + sizeof v);
    };
    const std::int16_t i[] = {1, -5};
    const float x[] = {2.5f, 0.25f}, y[] = {-1.0f, 8.0f};
    const std::uint16_t v[][2] = {{3, 4}, {6, 7}};
    const char* s[] = {"ab", "c"};
    for (int k = 0; k < 2; ++k) {
        auto* e = data.data() + 16 * k;
        put(e, i[k], byte_order::little);
        put(e + 2, x[k], byte_order::big);
        put(e + 6, y[k], byte_order::little);
        put(e + 10, v[k][0], byte_order::little);
        put(e + 12, v[k][1], byte_order::little);
        std::memcpy(e + 14, s[k], std::strlen(s[k]));
    }
    return ndarray(array_meta::contiguous_of(type, {2}), std::move(data));
}

inline dict arrays() {
    dict d;
    for (std::uint8_t t = 0; t < dtype_count; ++t)
        if (!is_sized(static_cast<dtype>(t))) d.insert(std::string(name(static_cast<dtype>(t))), arange(static_cast<dtype>(t), {2, 3}));
    d.insert("fortran_f8", arange(dtype::float64, {2, 3}, memory_order::fortran));
    d.insert("fortran_i2_3d", arange(dtype::int16, {2, 3, 4}, memory_order::fortran));
    d.insert("big_i4", arange(dtype::int32, {5}));
    d.insert("big_f8_fortran", arange(dtype::float64, {3, 2}, memory_order::fortran));
    // fixtures.py's string arrays: NULs inside an element stay, trailing ones do not.
    const std::vector<std::string> u3{"a", "bc", "d\xc3\xa9" "f", "", "x\xe2\x9c\x93", "yz"};
    d.insert("str_U3", ndarray::from_strings(dtype::str, u3, {2, 3}));
    const std::vector<std::string> u2{"ab", "c"};
    d.insert("big_U2", ndarray::from_strings(dtype::str, u2, {2}, memory_order::c, byte_order::big));
    const std::vector<std::string> s3{"a", std::string("\0b", 2), "xyz"};
    d.insert("bytes_S3", ndarray::from_strings(dtype::bytes, s3, {3}));
    d.insert("record", record_array());
    auto zero_d = ndarray::zeros(dtype::float64, {});
    zero_d.mutable_elements<double>()[0] = 3.5;
    d.insert("zero_d", zero_d);
    d.insert("empty", ndarray::zeros(dtype::float64, {0, 3}));
    return d;
}

inline value bytes_of(std::string_view s) {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return value(bytes(p, p + s.size()));
}

inline value sample() {
    const list shared{1L, 2L};
    map int_keys{{value(1L), value("one")}, {value(2L), value("two")}};
    return dict{
        {"none", none}, {"true", true}, {"false", false},
        {"int", 42L}, {"neg", -7L}, {"int32max", 2147483647L}, {"big", std::int64_t{1} << 40},
        {"i64min", std::numeric_limits<std::int64_t>::min()}, {"u64max", std::numeric_limits<std::uint64_t>::max()},
        {"float", 1.5}, {"nan", std::nan("")}, {"inf", -std::numeric_limits<double>::infinity()},
        {"complex", std::complex<double>(1, 2)},
        {"str", "h\xc3\xa9llo \xe2\x9c\x93"}, {"long_str", std::string(300, 'x')},
        {"bytes", bytes_of(std::string_view("\x00\xff" "ab", 4))}, {"bytearray", value::bytearray(bytes_of("xy").as_bytes())},
        {"list", list{1L, "a", list{2.5, none}}}, {"tuple", value::tuple(list{1L, 2L})}, {"set", list{3L}}, {"frozenset", list{"z"}},
        {"ordered", dict{{"b", 1L}, {"a", 2L}}},
        {"int_keys", int_keys},
        {"shared", list{shared, shared}},
        {"np_float32", 2.5f}, {"np_int16", std::int16_t{-3}},
        {"objects", list{"a", 1L, none, 2.5}},
        {"objects_2d", list{list{"a", "b"}, list{none, 3L}}},
        {"arrays", arrays()},
    };
}

// What brine reads back from a joblib file it wrote from `v`: Python has one
// int, one float and one complex type, so scalars come back at their widest.
inline value widened(const value& v) {
    if (v.is_scalar()) {
        const auto& s = v.as_scalar();
        switch (kind(s.type())) {
        case dtype_kind::boolean: return v;
        case dtype_kind::signed_int: return value(s.as<std::int64_t>());
        case dtype_kind::unsigned_int:
            return s.as<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? value(s.as<std::uint64_t>())
                                                                                                                : value(s.as<std::int64_t>());
        case dtype_kind::floating: return value(s.as<double>());
        case dtype_kind::complex: return value(s.as<std::complex<double>>());
        case dtype_kind::datetime: case dtype_kind::timedelta: return v;  // numpy scalars of their own
        case dtype_kind::string: case dtype_kind::record: return v;  // never a scalar's dtype
        }
    }
    if (v.is_list()) {
        list l;
        for (const auto& x : v.as_list()) l.push_back(widened(x));
        return value(std::move(l));
    }
    if (v.is_dict()) {
        dict d;
        for (const auto& [k, x] : v.as_dict()) d.insert(k, widened(x));
        return value(std::move(d));
    }
    if (v.is_map()) {
        map m;
        for (const auto& [k, x] : v.as_map()) m.emplace_back(widened(k), widened(x));
        return value(std::move(m));
    }
    return v;
}

// The fixtures, made once per test run in a fresh directory.
inline const std::filesystem::path& fixtures() {
    static const std::filesystem::path dir = [] {
        const auto d = scratch_dir("interop-fixtures");
        const std::string cmd = "/usr/bin/python3 " BRINE_INTEROP_SCRIPT " make " + d.string();
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("fixture generation failed: " + cmd);
        return d;
    }();
    return dir;
}

// Runs fixtures.py check on files brine wrote; true when Python sees them equal.
inline bool python_agrees(const std::vector<std::filesystem::path>& files) {
    std::string cmd = "/usr/bin/python3 " BRINE_INTEROP_SCRIPT " check";
    for (const auto& f : files) cmd += " '" + f.string() + "'";
    return std::system(cmd.c_str()) == 0;
}


}  // namespace brine::test
