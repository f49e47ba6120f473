#include "format/trailer.hpp"

#include "format/layout.hpp"
#include "model/byte_order.hpp"

#include <cstring>

namespace brine::format {

std::vector<std::byte> encode_trailer(const trailer& t) {
    std::vector<std::byte> out;
    out.reserve(v1::trailer_size);
    detail::append_le<std::uint64_t>(out, t.toc_offset);
    detail::append_le<std::uint64_t>(out, t.toc_length);
    detail::append_le<std::uint64_t>(out, t.toc_hash);
    detail::append_le<std::uint64_t>(out, t.structure_hash);
    for (auto b : v1::trailer_magic) out.push_back(static_cast<std::byte>(b));
    return out;
}

trailer decode_trailer(std::span<const std::byte> bytes, const location& where) {
    if (bytes.size() != v1::trailer_size) throw truncated_error(where, "expected a 40-byte trailer");
    if (std::memcmp(bytes.data() + 32, v1::trailer_magic.data(), 8) != 0)
        throw corrupt_error(where, "expected the trailer magic \"BRINEEND\"");
    return {detail::load_le<std::uint64_t>(bytes.data()), detail::load_le<std::uint64_t>(bytes.data() + 8), detail::load_le<std::uint64_t>(bytes.data() + 16), detail::load_le<std::uint64_t>(bytes.data() + 24)};
}

}  // namespace brine::format
