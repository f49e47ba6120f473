// Element types of scalars and arrays. Every fact about a dtype lives in one
// row of `dtype_table` below; the rest of brine derives from it. The numeric
// codes are part of the file format (docs/format.md); never renumber them.
//
// Adding a dtype: an enumerator, a row, then whatever the compiler stops at
// (switches over dtype have no default and the library builds with
// -Werror=switch).
#pragma once

#include <array>
#include <bit>
#include <complex>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace brine {

enum class dtype : std::uint8_t {
    bool_ = 0,
    int8 = 1, int16 = 2, int32 = 3, int64 = 4,
    uint8 = 5, uint16 = 6, uint32 = 7, uint64 = 8,
    float16 = 9, float32 = 10, float64 = 11,
    complex64 = 12, complex128 = 13,
    datetime64 = 14, timedelta64 = 15,  // int64 counts of a time_unit (array_meta::unit)
    // Fixed-width strings (numpy 'S<n>' and 'U<n>'): array_meta::width
    // characters per element, NUL-padded; itemsize below is one character.
    bytes = 16,  // 8-bit characters
    str = 17,    // UCS-4 code points, in the array's byte order
    // numpy's structured and void dtypes ('V<n>', [('x', '<f8'), ...]):
    // array_meta::width bytes per element, laid out by array_meta::fields
    // (model/record_layout.hpp); no fields is numpy's plain void.
    record = 18,
};

enum class byte_order : std::uint8_t { little = '<', big = '>' };
inline constexpr byte_order native_byte_order =
    std::endian::native == std::endian::little ? byte_order::little : byte_order::big;

enum class dtype_kind { boolean, signed_int, unsigned_int, floating, complex, datetime, timedelta, string, record };

// float16 has no C++20 type: its elements are held as their IEEE bits.
struct float16_bits { std::uint16_t bits; };

struct dtype_info {
    dtype code;
    std::string_view name;        // numpy's name: "float64", "bool"
    std::size_t itemsize;         // bytes per element (per character for strings)
    dtype_kind kind;
    std::string_view numpy_code;  // numpy's type code without byte order: "f8", "b1"
    unsigned mantissa_bits;       // significand bits (per component for complex); 0 if not floating
};

// A row: the facts, plus the C++ type that holds one element in memory.
template <class Storage>
struct dtype_row : dtype_info {
    using storage = Storage;
};

// The table. Row i describes the dtype with code i.
inline constexpr std::tuple dtype_table{
    dtype_row<bool>{{dtype::bool_, "bool", 1, dtype_kind::boolean, "b1", 0}},
    dtype_row<std::int8_t>{{dtype::int8, "int8", 1, dtype_kind::signed_int, "i1", 0}},
    dtype_row<std::int16_t>{{dtype::int16, "int16", 2, dtype_kind::signed_int, "i2", 0}},
    dtype_row<std::int32_t>{{dtype::int32, "int32", 4, dtype_kind::signed_int, "i4", 0}},
    dtype_row<std::int64_t>{{dtype::int64, "int64", 8, dtype_kind::signed_int, "i8", 0}},
    dtype_row<std::uint8_t>{{dtype::uint8, "uint8", 1, dtype_kind::unsigned_int, "u1", 0}},
    dtype_row<std::uint16_t>{{dtype::uint16, "uint16", 2, dtype_kind::unsigned_int, "u2", 0}},
    dtype_row<std::uint32_t>{{dtype::uint32, "uint32", 4, dtype_kind::unsigned_int, "u4", 0}},
    dtype_row<std::uint64_t>{{dtype::uint64, "uint64", 8, dtype_kind::unsigned_int, "u8", 0}},
    dtype_row<float16_bits>{{dtype::float16, "float16", 2, dtype_kind::floating, "f2", 11}},
    dtype_row<float>{{dtype::float32, "float32", 4, dtype_kind::floating, "f4", 24}},
    dtype_row<double>{{dtype::float64, "float64", 8, dtype_kind::floating, "f8", 53}},
    dtype_row<std::complex<float>>{{dtype::complex64, "complex64", 8, dtype_kind::complex, "c8", 24}},
    dtype_row<std::complex<double>>{{dtype::complex128, "complex128", 16, dtype_kind::complex, "c16", 53}},
    dtype_row<std::int64_t>{{dtype::datetime64, "datetime64", 8, dtype_kind::datetime, "M8", 0}},
    dtype_row<std::int64_t>{{dtype::timedelta64, "timedelta64", 8, dtype_kind::timedelta, "m8", 0}},
    dtype_row<char>{{dtype::bytes, "bytes", 1, dtype_kind::string, "S", 0}},
    dtype_row<char32_t>{{dtype::str, "str", 4, dtype_kind::string, "U", 0}},
    dtype_row<unsigned char>{{dtype::record, "record", 1, dtype_kind::record, "V", 0}},
};

inline constexpr std::uint8_t dtype_count = std::tuple_size_v<decltype(dtype_table)>;

// The rows without their storage types, indexed by code.
inline constexpr std::array<dtype_info, dtype_count> dtype_infos =
    std::apply([](const auto&... row) { return std::array<dtype_info, dtype_count>{row...}; }, dtype_table);

namespace detail {
consteval bool dtype_table_is_consistent() {
    bool ok = true;
    std::apply([&](const auto&... row) {
        std::size_t i = 0;
        ((ok = ok && static_cast<std::size_t>(row.code) == i++
                  && sizeof(typename std::remove_cvref_t<decltype(row)>::storage) == row.itemsize),
         ...);
    }, dtype_table);
    return ok;
}
static_assert(dtype_table_is_consistent(), "dtype_table: row i must have code i and itemsize == sizeof(storage)");
}  // namespace detail

// The largest itemsize: a buffer of this size holds any one element.
inline constexpr std::size_t max_itemsize = [] {
    std::size_t m = 0;
    for (const auto& i : dtype_infos) m = i.itemsize > m ? i.itemsize : m;
    return m;
}();

constexpr bool is_valid(dtype t) noexcept { return static_cast<std::uint8_t>(t) < dtype_count; }

// Facts of a valid dtype (check is_valid first for bytes read from a file).
constexpr const dtype_info& info(dtype t) noexcept { return dtype_infos[static_cast<std::uint8_t>(t)]; }
constexpr std::size_t itemsize(dtype t) noexcept { return info(t).itemsize; }
constexpr dtype_kind kind(dtype t) noexcept { return info(t).kind; }
// Bytes of one real component: a complex number is two floats, each swapped
// and aligned on its own.
constexpr std::size_t component_size(dtype t) noexcept {
    return kind(t) == dtype_kind::complex ? itemsize(t) / 2 : itemsize(t);
}

// datetime64 and timedelta64 carry a time unit (model/time_unit.hpp).
constexpr bool has_time_unit(dtype t) noexcept {
    return kind(t) == dtype_kind::datetime || kind(t) == dtype_kind::timedelta;
}

// bytes and str elements are `width` characters (model/array_meta.hpp). They
// have no scalar form: a string element is a string or bytes node.
constexpr bool has_width(dtype t) noexcept { return kind(t) == dtype_kind::string; }
// Records are array_meta::width bytes, laid out by their fields. No scalar
// form either: one record is a 0-d array.
constexpr bool is_record(dtype t) noexcept { return kind(t) == dtype_kind::record; }
// The element size is a field of the array (array_meta::width), not of the
// dtype: strings and records.
constexpr bool is_sized(dtype t) noexcept { return has_width(t) || is_record(t); }
// A dtype code a scalar record may carry (read from a file): a known dtype
// with a scalar form.
constexpr bool is_scalar_dtype_code(std::uint8_t code) noexcept {
    return is_valid(static_cast<dtype>(code)) && !is_sized(static_cast<dtype>(code));
}

// numpy's names: "float64", "int8", "complex128", "bool".
constexpr std::string_view name(dtype t) noexcept {
    return is_valid(t) ? info(t).name : std::string_view{"invalid"};
}
std::optional<dtype> dtype_from_name(std::string_view name) noexcept;

// The C++ type holding one element of dtype `t`.
template <dtype t>
using storage_t = typename std::tuple_element_t<static_cast<std::size_t>(t), decltype(dtype_table)>::storage;

// Calls f.template operator()<storage_t<t>>() for a dtype known only at run
// time. `t` must be valid.
template <class F>
decltype(auto) visit_dtype(dtype t, F&& f) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) -> decltype(auto) {
        using result = decltype(f.template operator()<storage_t<dtype{0}>>());
        using call = result (*)(F&);
        static constexpr call calls[] = {
            [](F& g) -> result { return g.template operator()<storage_t<static_cast<dtype>(I)>>(); }...};
        return calls[static_cast<std::uint8_t>(t)](f);
    }(std::make_index_sequence<dtype_count>{});
}

namespace detail {
// Every integer type stands for the fixed-width type of its size and
// signedness: `long` and `long long` are both int64 on LP64, and plain `char`
// (text in C++) is stored as a number with its platform signedness.
template <class T> struct fixed_width { using type = T; };
template <std::integral T>
    requires(!std::same_as<T, bool> && sizeof(T) <= 8)
struct fixed_width<T> {
    template <std::size_t N, bool S> static auto pick() {
        if constexpr (N == 1) return std::conditional_t<S, std::int8_t, std::uint8_t>{};
        else if constexpr (N == 2) return std::conditional_t<S, std::int16_t, std::uint16_t>{};
        else if constexpr (N == 4) return std::conditional_t<S, std::int32_t, std::uint32_t>{};
        else return std::conditional_t<S, std::int64_t, std::uint64_t>{};
    }
    using type = decltype(pick<sizeof(T), std::is_signed_v<T>>());
};

template <class T> inline constexpr bool is_number_type = std::is_arithmetic_v<T>;
template <class T> inline constexpr bool is_number_type<std::complex<T>> = true;

// The code of the row whose storage is T; dtype_count if none.
template <class T>
consteval std::uint8_t dtype_code_of() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        std::uint8_t code = dtype_count;
        ((code = code == dtype_count && std::is_same_v<T, storage_t<static_cast<dtype>(I)>> ? static_cast<std::uint8_t>(I) : code),
         ...);
        return code;
    }(std::make_index_sequence<dtype_count>{});
}
}  // namespace detail

// An element type brine can put in an array or a scalar record: a C++ number
// type whose storage is a row of the table.
template <class T>
concept element = detail::is_number_type<std::remove_cv_t<T>>
    && detail::dtype_code_of<typename detail::fixed_width<std::remove_cv_t<T>>::type>() < dtype_count;

template <element T>
inline constexpr dtype dtype_of =
    static_cast<dtype>(detail::dtype_code_of<typename detail::fixed_width<std::remove_cv_t<T>>::type>());

// Reverses the bytes of every element in `data` (elements of dtype `t`), in
// place. Complex numbers are two floats, each swapped on its own.
void swap_byte_order(std::span<std::byte> data, dtype t) noexcept;

// IEEE half precision, for float16 data from numpy. Round to nearest even.
float half_to_float(std::uint16_t h) noexcept;
std::uint16_t float_to_half(float f) noexcept;

}  // namespace brine
