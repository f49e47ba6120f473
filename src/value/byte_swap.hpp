// Byte-order reversal (std::byteswap is C++23).
#pragma once

#include <brine/dtype.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace brine::detail {

template <std::unsigned_integral U>
constexpr U byteswap(U v) noexcept {
    if constexpr (sizeof(U) == 1) return v;
    else if constexpr (sizeof(U) == 2) return static_cast<U>(__builtin_bswap16(v));
    else if constexpr (sizeof(U) == 4) return static_cast<U>(__builtin_bswap32(v));
    else return static_cast<U>(__builtin_bswap64(v));
}

// Reverses the bytes of each element of `count` elements of dtype `t` in
// place. Complex numbers are two floats, each swapped on its own.
inline void swap_elements(std::byte* data, std::uint64_t count, dtype t) noexcept {
    const std::size_t width = kind(t) == dtype_kind::complex ? itemsize(t) / 2 : itemsize(t);
    if (width == 1) return;
    const std::uint64_t words = count * (itemsize(t) / width);
    for (std::uint64_t i = 0; i < words; ++i) std::reverse(data + i * width, data + (i + 1) * width);
}

}  // namespace brine::detail
