// Little- and big-endian integers in byte buffers, for the container headers
// that brine writes and parses itself (gzip members, seek tables, zlib).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <initializer_list>

namespace brine::codec {

template <class Int>
Int load_le(std::span<const std::byte> p) {
    Int v = 0;
    for (std::size_t i = sizeof(Int); i-- > 0;) v = static_cast<Int>(v << 8 | std::to_integer<Int>(p[i]));
    return v;
}

template <class Int, class Bytes>
void append_le(Bytes& out, Int v) {
    for (std::size_t i = 0; i < sizeof(Int); ++i) out.push_back(static_cast<std::byte>(v >> (8 * i) & 0xff));
}

template <class Int>
void store_le(std::span<std::byte> p, Int v) {
    for (std::size_t i = 0; i < sizeof(Int); ++i) p[i] = static_cast<std::byte>(v >> (8 * i) & 0xff);
}

template <class Int, class Bytes>
void append_be(Bytes& out, Int v) {
    for (std::size_t i = sizeof(Int); i-- > 0;) out.push_back(static_cast<std::byte>(v >> (8 * i) & 0xff));
}

template <class Bytes>
void append_bytes(Bytes& out, std::initializer_list<std::uint8_t> values) {
    for (auto v : values) out.push_back(static_cast<std::byte>(v));
}

}  // namespace brine::codec
