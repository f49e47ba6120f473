// Byte order in memory: reversal (std::byteswap is C++23) and the one home
// for little- and big-endian integers in byte buffers, which every file
// header, record, trailer and container format brine reads or writes uses.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>

namespace brine::detail {

template <std::unsigned_integral U>
constexpr U byteswap(U v) noexcept {
    if constexpr (sizeof(U) == 1) return v;
    else if constexpr (sizeof(U) == 2) return static_cast<U>(__builtin_bswap16(v));
    else if constexpr (sizeof(U) == 4) return static_cast<U>(__builtin_bswap32(v));
    else return static_cast<U>(__builtin_bswap64(v));
}

// sizeof(U) bytes at p in byte order `order`, and the reverse.
template <std::endian order, std::unsigned_integral U>
U load_ordered(const std::byte* p) noexcept {
    U v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native != order) v = byteswap(v);
    return v;
}
template <std::endian order, std::unsigned_integral U, class Byte>
void store_ordered(Byte* p, U v) noexcept {
    if constexpr (std::endian::native != order) v = byteswap(v);
    std::memcpy(p, &v, sizeof v);
}

template <std::unsigned_integral U>
U load_le(const std::byte* p) noexcept { return load_ordered<std::endian::little, U>(p); }
template <std::unsigned_integral U>
U load_le(std::span<const std::byte> p) noexcept { return load_le<U>(p.data()); }
template <std::unsigned_integral U>
void store_le(std::byte* p, U v) noexcept { store_ordered<std::endian::little>(p, v); }
template <std::unsigned_integral U>
void store_le(std::span<std::byte> p, U v) noexcept { store_le(p.data(), v); }

// Big-endian (pickle floats, age nonces).
template <std::unsigned_integral U>
U load_be(const std::byte* p) noexcept { return load_ordered<std::endian::big, U>(p); }
template <std::unsigned_integral U, class Byte>
void store_be(Byte* p, U v) noexcept { store_ordered<std::endian::big>(p, v); }

// The low n bytes (n <= 8), for fields whose width is known only at run time.
inline std::uint64_t load_le_n(const std::byte* p, std::size_t n) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = v << 8 | std::to_integer<std::uint64_t>(p[i]);
    return v;
}
inline void store_le_n(std::byte* p, std::uint64_t v, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>(v >> (8 * i) & 0xff);
}

// Appends to a container of bytes or chars.
template <std::unsigned_integral U, class Bytes>
void append_le(Bytes& out, U v) {
    for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<typename Bytes::value_type>(v >> (8 * i) & 0xff));
}
template <std::unsigned_integral U, class Bytes>
void append_be(Bytes& out, U v) {
    for (std::size_t i = sizeof(U); i-- > 0;) out.push_back(static_cast<typename Bytes::value_type>(v >> (8 * i) & 0xff));
}
template <class Bytes>
void append_bytes(Bytes& out, std::initializer_list<std::uint8_t> values) {
    for (auto v : values) out.push_back(static_cast<typename Bytes::value_type>(v));
}

}  // namespace brine::detail
