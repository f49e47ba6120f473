#include "format/scalar_body.hpp"

namespace brine::format {

std::optional<decoded_scalar> decode_scalar_body(std::span<const std::byte> body) noexcept {
    if (body.empty() || !is_scalar_dtype_code(static_cast<std::uint8_t>(body[0]))) return std::nullopt;
    const auto type = static_cast<dtype>(body[0]);
    std::size_t at = 1;
    datetime_unit unit{};
    if (has_time_unit(type)) {
        if (body.size() < 3) return std::nullopt;
        const auto count = get_varint(body.data() + 2, body.data() + body.size());
        if (count.length == 0 || count.length == varint_malformed) return std::nullopt;
        const auto u = unit_from_field(static_cast<std::uint8_t>(body[1]), count.value);
        if (!u) return std::nullopt;
        unit = *u;
        at = 2 + count.length;
    }
    if (body.size() - at < itemsize(type)) return std::nullopt;
    if (type == dtype::bool_ && static_cast<std::uint8_t>(body[at]) > 1) return std::nullopt;
    return decoded_scalar{scalar::from_le_bytes(type, body.data() + at, unit), at + itemsize(type)};
}

std::size_t put_scalar_body(std::byte* out, const scalar& s) noexcept {
    out[0] = static_cast<std::byte>(s.type());
    std::size_t at = 1;
    if (has_time_unit(s.type())) at += put_unit_field(out + 1, s.unit());
    s.to_le_bytes(out + at);
    return at + itemsize(s.type());
}

}  // namespace brine::format
