// dtype names and IEEE half precision conversions.
#include <brine/model/dtype.hpp>

#include <algorithm>
#include <bit>
#include <cstring>

namespace brine {

std::optional<dtype> dtype_from_name(std::string_view n) noexcept {
    for (std::uint8_t i = 0; i < dtype_count; ++i)
        if (name(static_cast<dtype>(i)) == n) return static_cast<dtype>(i);
    // numpy also spells bool as "bool_" and "bool8".
    if (n == "bool_" || n == "bool8") return dtype::bool_;
    return std::nullopt;
}

float half_to_float(std::uint16_t h) noexcept {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);  // inf, or NaN keeping its payload
    } else if (exponent != 0) {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;  // signed zero
    } else {
        // Subnormal half: normalise; every one is a normal float.
        int e = -1;
        do { ++e; mantissa <<= 1; } while ((mantissa & 0x400u) == 0);
        bits = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((mantissa & 0x3ffu) << 13);
    }
    return std::bit_cast<float>(bits);
}

std::uint16_t float_to_half(float f) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
    const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    const std::uint32_t abs = bits & 0x7fffffffu;
    if (abs >= 0x7f800000u) {  // inf or NaN; keep NaNs NaN (quiet bit set)
        if (abs == 0x7f800000u) return sign | 0x7c00u;
        return static_cast<std::uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
    }
    if (abs >= 0x477ff000u) return sign | 0x7c00u;  // rounds to >= 65520: overflow to inf
    if (abs < 0x38800000u) {
        // Result is subnormal (or zero): shift the full significand into place
        // and round to nearest even on the bits shifted out.
        if (abs < 0x33000000u) return sign;  // below half the smallest subnormal
        const std::uint32_t exponent = abs >> 23;
        const std::uint32_t significand = (abs & 0x7fffffu) | 0x800000u;
        const unsigned shift = 126 - exponent;  // in [14, 24]: units of 2^-24
        std::uint32_t half = significand >> shift;
        const std::uint32_t rest = significand & ((1u << shift) - 1);
        const std::uint32_t midpoint = 1u << (shift - 1);
        if (rest > midpoint || (rest == midpoint && (half & 1u))) ++half;
        return static_cast<std::uint16_t>(sign | half);
    }
    // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest
    // even; a carry into the exponent is the correct result.
    std::uint32_t half = ((abs - 0x38000000u) >> 13);
    const std::uint32_t rest = abs & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
}

void swap_byte_order(std::span<std::byte> data, dtype t) noexcept {
    const std::size_t width = component_size(t);
    if (width == 1) return;
    for (std::size_t i = 0; i + width <= data.size(); i += width) std::reverse(data.data() + i, data.data() + i + width);
}

}  // namespace brine
