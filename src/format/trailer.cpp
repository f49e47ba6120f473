#include "format/trailer.hpp"

#include "format/constants.hpp"
#include "format/hasher.hpp"
#include "fuzzing.hpp"
#include "model/byte_order.hpp"

#include <array>
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

table_of_contents decode_tail(std::span<const std::byte> tail, std::uint64_t toc_offset, const std::string& name, bool verify,
                              std::optional<std::uint64_t> structure_hash) {
    if (tail.size() < 1 + v1::trailer_size) throw truncated_error({name, toc_offset}, "input ends early, expected the table of contents and the 40-byte trailer");
    const auto toc_bytes = tail.first(tail.size() - v1::trailer_size);
    const location trailer_at{name, toc_offset + toc_bytes.size()};
    const auto t = decode_trailer(tail.last(v1::trailer_size), trailer_at);
    if (t.toc_offset != toc_offset || t.toc_length != toc_bytes.size())
        throw corrupt_error(trailer_at, "trailer does not match the table of contents it follows");
    if (toc_bytes[0] != static_cast<std::byte>(v1::end_tag))
        throw corrupt_error({name, toc_offset}, "expected the end tag 0xff where the trailer says the table of contents starts");
    if (verify && checksums_enforced()) {
        if (XXH3_64bits(toc_bytes.data(), toc_bytes.size()) != t.toc_hash)
            throw corrupt_error({name, toc_offset}, "table of contents checksum mismatch");
        if (structure_hash && *structure_hash != t.structure_hash)
            throw corrupt_error({name, toc_offset}, "structure checksum mismatch (keys, lengths or small values are corrupt)");
    }
    return table_of_contents::decode(toc_bytes.subspan(1), {name, toc_offset + 1}, toc_offset + 1, toc_offset);
}

table_of_contents read_tail(const io::random_access& in, bool verify) {
    const auto name = in.name();
    const auto size = in.size();
    auto read_at = [&](std::uint64_t offset, std::span<std::byte> dst) {
        if (in.open_at(offset)->read(dst) != dst.size())
            throw truncated_error({name, offset}, "input ends inside the table of contents or trailer");
    };
    if (size < v1::header_size + v1::trailer_size + 2)
        throw truncated_error({name, size}, "too short for a brine file with a table of contents");
    std::array<std::byte, v1::trailer_size> last;
    const auto trailer_offset = size - last.size();
    read_at(trailer_offset, last);
    const auto t = decode_trailer(last, {name, trailer_offset});
    // The table lies between the root value and the trailer: a length the
    // file does not have is refused before anything is allocated for it.
    if (t.toc_offset < v1::header_size || t.toc_offset > trailer_offset || t.toc_length != trailer_offset - t.toc_offset || t.toc_length < 2)
        throw corrupt_error({name, trailer_offset}, "trailer points outside the file");
    std::vector<std::byte> tail(static_cast<std::size_t>(t.toc_length));
    read_at(t.toc_offset, tail);
    tail.insert(tail.end(), last.begin(), last.end());
    return decode_tail(tail, t.toc_offset, name, verify);
}

}  // namespace brine::format
