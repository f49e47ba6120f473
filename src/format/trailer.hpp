// The fixed-size end of every v1 file (docs/format.md, "Trailer"): where the
// table of contents is, and the hashes that vouch for it. Internal: the
// writer writes it, the reader and archives read it.
#pragma once

#include <brine/error.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace brine::format {

struct trailer {
    std::uint64_t toc_offset = 0;      // offset of the end tag (0xFF)
    std::uint64_t toc_length = 0;      // from the end tag to the trailer
    std::uint64_t toc_hash = 0;        // xxh3-64 of those toc_length bytes
    std::uint64_t structure_hash = 0;  // xxh3-64 of [0, toc_offset) without array payloads
};

std::vector<std::byte> encode_trailer(const trailer& t);
// Throws truncated_error for fewer than 40 bytes, corrupt_error without the magic.
trailer decode_trailer(std::span<const std::byte> bytes, const location& where);

}  // namespace brine::format
