// One number with its stored dtype. Used by the record reader/writer and by
// brine::value, so both share one conversion rule (docs/guide.md):
//
//   a stored dtype converts to a requested C++ type when every value of the
//   stored dtype is exactly representable in the requested type.
//
// So int32 -> int64, uint16 -> int32, int32 -> double, float32 -> double,
// float -> complex are allowed; int64 -> int32, int64 -> double, double ->
// float, bool <-> int are not, whatever the particular value.
#pragma once

#include <brine/model/dtype.hpp>
#include <brine/model/time_unit.hpp>

#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

namespace brine {

// Does every value of `from` fit exactly in `to`?
constexpr bool converts_losslessly(dtype from, dtype to) noexcept {
    if (from == to) return true;
    const auto fk = kind(from), tk = kind(to);
    const auto fbits = itemsize(from) * 8, tbits = itemsize(to) * 8;
    auto mantissa = [](dtype t) -> std::size_t { return info(t).mantissa_bits; };
    auto float_width = [](dtype t) { return component_size(t) * 8; };
    switch (fk) {
    case dtype_kind::boolean: return false;
    case dtype_kind::signed_int:
        if (tk == dtype_kind::signed_int) return tbits >= fbits;
        if (tk == dtype_kind::floating || tk == dtype_kind::complex) return mantissa(to) >= fbits - 1;
        return false;
    case dtype_kind::unsigned_int:
        if (tk == dtype_kind::unsigned_int) return tbits >= fbits;
        if (tk == dtype_kind::signed_int) return tbits > fbits;
        if (tk == dtype_kind::floating || tk == dtype_kind::complex) return mantissa(to) >= fbits;
        return false;
    case dtype_kind::floating:
        return (tk == dtype_kind::floating || tk == dtype_kind::complex) && float_width(to) >= fbits;
    case dtype_kind::complex:
        return tk == dtype_kind::complex && tbits >= fbits;
    case dtype_kind::datetime:
    case dtype_kind::timedelta:
        return false;  // only to itself (above); units convert in the types layer
    case dtype_kind::string:
    case dtype_kind::record:
        return false;  // strings and records are never numbers
    }
    return false;
}

class scalar {
public:
    constexpr scalar() noexcept : type_(dtype::bool_) {}

    template <element T>
    explicit scalar(T v) noexcept : type_(dtype_of<T>) {
        if constexpr (std::is_same_v<T, bool>) i_ = v;
        else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) i_ = v;
        else if constexpr (std::is_integral_v<T>) u_ = v;
        else if constexpr (std::is_floating_point_v<T>) re_ = v;
        else { re_ = v.real(); im_ = v.imag(); }
    }

    // A datetime64 or timedelta64: `ticks` units since 1970-01-01 (or in
    // all); not_a_time is NaT.
    static scalar time(dtype t, std::int64_t ticks, datetime_unit unit) noexcept {
        scalar s;
        s.type_ = t;
        s.i_ = ticks;
        s.u_ = pack(unit);
        return s;
    }
    // Build from `itemsize(t)` little-endian bytes as they sit in a record;
    // `unit` for datetime64 and timedelta64. `t` must have a scalar form
    // (not bytes or str: has_width); a default scalar otherwise.
    static scalar from_le_bytes(dtype t, const std::byte* bytes, datetime_unit unit = {}) noexcept;
    // Write `itemsize(type())` little-endian bytes.
    void to_le_bytes(std::byte* out) const noexcept;

    dtype type() const noexcept { return type_; }
    // The unit of a datetime64 or timedelta64; generic for other dtypes.
    datetime_unit unit() const noexcept {
        return has_time_unit(type_) ? datetime_unit{static_cast<time_unit>(u_ >> 32), static_cast<std::uint32_t>(u_)}
                                    : datetime_unit{};
    }

    // The value as T if the conversion rule above allows it, else nullopt.
    template <element T>
    std::optional<T> get() const noexcept {
        if (!converts_losslessly(type_, dtype_of<T>)) return std::nullopt;
        return as<T>();
    }

    // The value cast to T without the lossless check (for printing, tools).
    template <element T>
    T as() const noexcept {
        switch (kind(type_)) {
        case dtype_kind::boolean: case dtype_kind::signed_int:
        case dtype_kind::datetime: case dtype_kind::timedelta: return cast<T>(i_);
        case dtype_kind::unsigned_int: return cast<T>(u_);
        case dtype_kind::floating: return cast<T>(re_);
        case dtype_kind::complex:
            if constexpr (requires { T(re_, im_); } && !std::is_arithmetic_v<T>) return T(re_, im_);
            else return cast<T>(re_);
        case dtype_kind::string: case dtype_kind::record: return T{};  // no scalar has these dtypes
        }
        return T{};
    }

    // Exact comparison: same dtype and same bits (NaN equals NaN of same payload class).
    friend bool operator==(const scalar& a, const scalar& b) noexcept;

    std::string to_string() const;  // "3", "-1.5", "true", "(1+2j)", "nan"

private:
    template <class T, class U>
    static T cast(U v) noexcept {
        if constexpr (std::is_same_v<T, bool>) return v != U{};
        else return static_cast<T>(v);
    }
    // A time unit packed where a datetime's scalar has room: its value is in i_.
    static std::uint64_t pack(datetime_unit u) noexcept {
        return std::uint64_t{static_cast<std::uint8_t>(u.base)} << 32 | u.count;
    }

    dtype type_;
    std::int64_t i_ = 0;     // bool, signed, datetime64, timedelta64
    std::uint64_t u_ = 0;    // unsigned; the time unit of datetime64 and timedelta64
    double re_ = 0, im_ = 0; // float, complex
};

}  // namespace brine
