// The fixed-size end of every v1 file (docs/format.md, "Trailer"): where the
// table of contents is, and the hashes that vouch for it. Internal: the
// writer writes it; the reader (after the root value) and archives (from the
// end of a random access) check it and the table of contents with the same
// code, decode_tail.
#pragma once

#include "io/random_access.hpp"

#include <brine/error.hpp>
#include <brine/format/toc.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
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

// The end of a file from the end tag at `toc_offset` on: the tag, the table
// of contents, the trailer. Checks that the trailer points at this table and,
// with `verify`, its checksum and (when given) the structure checksum the
// reader computed; then decodes the table.
table_of_contents decode_tail(std::span<const std::byte> tail, std::uint64_t toc_offset, const std::string& name, bool verify,
                              std::optional<std::uint64_t> structure_hash = std::nullopt);

// The same read from the end of `in`, where the trailer says the table is;
// only bytes the file really has are allocated.
table_of_contents read_tail(const io::random_access& in, bool verify);

}  // namespace brine::format
