// Byte-order reversal (std::byteswap is C++23).
#pragma once

#include <brine/model/dtype.hpp>

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

}  // namespace brine::detail
