// A byte as two lowercase hex digits, for messages naming a bad tag or mark.
#pragma once

#include <cstdint>
#include <string>

namespace brine::format {

inline std::string hex_byte(std::uint8_t b) {
    static constexpr char digits[] = "0123456789abcdef";
    return {digits[b >> 4], digits[b & 15]};
}

}  // namespace brine::format
