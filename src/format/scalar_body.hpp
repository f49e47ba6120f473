// The body of a scalar record after its tag, and the time unit field that
// datetime64 and timedelta64 scalars and arrays carry after their dtype
// byte (format 1.2, docs/format.md):
//
//   scalar: u8 dtype, [u8 unit, varint count], itemsize(dtype) bytes LE
//   array:  u8 dtype, [u8 unit, varint count], u8 byte order, ...
#pragma once

#include "format/varint.hpp"

#include <brine/model/node_kind.hpp>
#include <brine/model/scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace brine::format {

// Largest encoding of the unit field.
inline constexpr std::size_t max_unit_field = 1 + 5;

// A valid unit from the field's two numbers: base a known unit, count from
// 1 to 2^32 - 1, and exactly 1 for generic.
constexpr std::optional<datetime_unit> unit_from_field(std::uint8_t base, std::uint64_t count) noexcept {
    if (base >= time_unit_count || count == 0 || count > 0xFFFFFFFFu || (base == 0 && count != 1)) return std::nullopt;
    return datetime_unit{static_cast<time_unit>(base), static_cast<std::uint32_t>(count)};
}

// Writes the unit field; returns its length.
inline std::size_t put_unit_field(std::byte* out, datetime_unit u) noexcept {
    out[0] = static_cast<std::byte>(u.base);
    return 1 + put_varint(out + 1, u.count);
}

// A scalar record's body as it sits in memory (frozen maps read scalars in
// place): the scalar and the body's length, or nullopt when the body is
// malformed or longer than `body`.
struct decoded_scalar {
    scalar value;
    std::size_t length;
};
std::optional<decoded_scalar> decode_scalar_body(std::span<const std::byte> body) noexcept;

// The largest scalar body: dtype, unit field, 16 bytes of complex128.
inline constexpr std::size_t max_scalar_body = 1 + max_unit_field + 16;
// Writes the body of `s`; returns its length.
std::size_t put_scalar_body(std::byte* out, const scalar& s) noexcept;

// A whole scalar record: its tag, then its body.
inline constexpr std::size_t max_scalar_record = 1 + max_scalar_body;
inline std::size_t put_scalar_record(std::byte* out, const scalar& s) noexcept {
    out[0] = static_cast<std::byte>(node_kind::scalar);
    return 1 + put_scalar_body(out + 1, s);
}

}  // namespace brine::format
