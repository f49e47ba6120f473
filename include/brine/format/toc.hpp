// The table of contents in a v1 footer: one entry per container, array and
// long string/bytes, in pre-order, so a reader can reach one entry without
// parsing what comes before it (brine::open).
#pragma once

#include <brine/error.hpp>
#include <brine/format/record.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace brine::format {

inline constexpr std::uint32_t no_parent = std::numeric_limits<std::uint32_t>::max();

struct toc_entry {
    std::uint32_t parent = no_parent;  // index of the parent entry; no_parent for the root
    std::string key;                   // when the parent is a dict
    std::uint64_t ordinal = 0;         // position among the parent's children (maps: 2i key, 2i+1 value)
    node_kind kind = node_kind::none;
    std::uint64_t offset = 0;          // of the record's tag byte, in the uncompressed stream
    std::uint64_t length = 0;          // of the whole record, children included
};


class table_of_contents {
public:
    std::vector<toc_entry>& entries() noexcept { return entries_; }
    const std::vector<toc_entry>& entries() const noexcept { return entries_; }

    // The entry bytes (after the end tag): a varint count, then the entries.
    void encode(std::vector<std::byte>& out) const;
    // Parses and validates entry bytes; `base` is the offset of the first
    // byte, `stream_end` the offset of the end tag. Throws corrupt_error.
    static table_of_contents decode(std::span<const std::byte> bytes, const location& where,
                                    std::uint64_t base, std::uint64_t stream_end);

    // Index of the child of `parent` under `key` / at `ordinal`, or nullopt.
    std::optional<std::uint32_t> child(std::uint32_t parent, std::string_view key) const;
    std::optional<std::uint32_t> child(std::uint32_t parent, std::uint64_t ordinal) const;

private:
    std::vector<toc_entry> entries_;
};

}  // namespace brine::format
