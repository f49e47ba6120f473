// Element types of scalars and arrays. The numeric codes are part of the file
// format (docs/format.md); never renumber them.
#pragma once

#include <bit>
#include <complex>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace brine {

enum class dtype : std::uint8_t {
    bool_ = 0,
    int8 = 1, int16 = 2, int32 = 3, int64 = 4,
    uint8 = 5, uint16 = 6, uint32 = 7, uint64 = 8,
    float16 = 9, float32 = 10, float64 = 11,
    complex64 = 12, complex128 = 13,
};
inline constexpr std::uint8_t dtype_count = 14;

enum class byte_order : std::uint8_t { little = '<', big = '>' };
inline constexpr byte_order native_byte_order =
    std::endian::native == std::endian::little ? byte_order::little : byte_order::big;

enum class dtype_kind { boolean, signed_int, unsigned_int, floating, complex };

constexpr bool is_valid(dtype t) noexcept { return static_cast<std::uint8_t>(t) < dtype_count; }

constexpr std::size_t itemsize(dtype t) noexcept {
    constexpr std::size_t sizes[dtype_count] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 8, 16};
    return sizes[static_cast<std::uint8_t>(t)];
}

constexpr dtype_kind kind(dtype t) noexcept {
    switch (t) {
    case dtype::bool_: return dtype_kind::boolean;
    case dtype::int8: case dtype::int16: case dtype::int32: case dtype::int64: return dtype_kind::signed_int;
    case dtype::uint8: case dtype::uint16: case dtype::uint32: case dtype::uint64: return dtype_kind::unsigned_int;
    case dtype::float16: case dtype::float32: case dtype::float64: return dtype_kind::floating;
    default: return dtype_kind::complex;
    }
}

// numpy's names: "float64", "int8", "complex128", "bool".
constexpr std::string_view name(dtype t) noexcept {
    constexpr std::string_view names[dtype_count] = {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128"};
    return is_valid(t) ? names[static_cast<std::uint8_t>(t)] : std::string_view{"invalid"};
}
std::optional<dtype> dtype_from_name(std::string_view name) noexcept;

// The C++ element types brine stores natively. `long` and `long long` are both
// 64-bit on LP64 and map to int64, so every integer width is covered.
template <class T> struct dtype_traits;
template <> struct dtype_traits<bool> { static constexpr dtype value = dtype::bool_; };
template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char> && sizeof(T) <= 8)
struct dtype_traits<T> {
    static constexpr dtype value = std::is_signed_v<T>
        ? (sizeof(T) == 1 ? dtype::int8 : sizeof(T) == 2 ? dtype::int16 : sizeof(T) == 4 ? dtype::int32 : dtype::int64)
        : (sizeof(T) == 1 ? dtype::uint8 : sizeof(T) == 2 ? dtype::uint16 : sizeof(T) == 4 ? dtype::uint32 : dtype::uint64);
};
// Plain `char` is text in C++; as a number it is stored with its platform signedness.
template <> struct dtype_traits<char> {
    static constexpr dtype value = std::is_signed_v<char> ? dtype::int8 : dtype::uint8;
};
template <> struct dtype_traits<float> { static constexpr dtype value = dtype::float32; };
template <> struct dtype_traits<double> { static constexpr dtype value = dtype::float64; };
template <> struct dtype_traits<std::complex<float>> { static constexpr dtype value = dtype::complex64; };
template <> struct dtype_traits<std::complex<double>> { static constexpr dtype value = dtype::complex128; };

// An element type brine can put in an array or a scalar record.
template <class T>
concept element = requires { dtype_traits<std::remove_cv_t<T>>::value; };

template <element T>
inline constexpr dtype dtype_of = dtype_traits<std::remove_cv_t<T>>::value;

// Reverses the bytes of every element in `data` (elements of dtype `t`), in
// place. Complex numbers are two floats, each swapped on its own.
void swap_byte_order(std::span<std::byte> data, dtype t) noexcept;

// IEEE half precision, for float16 data from numpy. Round to nearest even.
float half_to_float(std::uint16_t h) noexcept;
std::uint16_t float_to_half(float f) noexcept;

}  // namespace brine
