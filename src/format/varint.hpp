// LEB128 varints (unsigned) and zigzag (signed), as used by every count,
// length and shape in format v1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace brine::format {

// Writes `v` at `out` (room for 10 bytes needed); returns the bytes written.
inline std::size_t put_varint(std::byte* out, std::uint64_t v) noexcept {
    std::size_t n = 0;
    while (v >= 0x80) {
        out[n++] = static_cast<std::byte>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out[n++] = static_cast<std::byte>(v);
    return n;
}

constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

struct varint_result {
    std::uint64_t value;
    std::size_t length;  // 0: needs more bytes; SIZE_MAX: malformed
};
inline constexpr std::size_t varint_malformed = static_cast<std::size_t>(-1);

// Decodes from [p, end). Rejects encodings longer than 10 bytes, overflow
// past 64 bits and non-minimal encodings (a trailing 0x00 continuation).
inline varint_result get_varint(const std::byte* p, const std::byte* end) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 10; ++i) {
        if (p + i >= end) return {0, 0};
        const auto b = static_cast<std::uint8_t>(p[i]);
        if (i == 9 && b > 1) return {0, varint_malformed};
        v |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0) return {0, varint_malformed};
            return {v, i + 1};
        }
    }
    return {0, varint_malformed};
}

}  // namespace brine::format
