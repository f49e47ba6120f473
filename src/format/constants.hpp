// Constants of format v1 (docs/format.md is the normative description).
#pragma once

#include <brine/format/record.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace brine::format::v1 {

inline constexpr std::array<std::uint8_t, 8> magic = {0x89, 'B', 'R', 'N', '\r', '\n', 0x1a, '\n'};
inline constexpr std::uint16_t major_version = 1;
// 1.1 added the tuple record (tag 0x09) and the object record (tag 0x0A);
// 1.2 the dtypes datetime64 and timedelta64 (codes 14, 15) with their unit;
// 1.3 the string dtypes bytes and str (codes 16, 17) with their width, and
// the bytearray record (tag 0x0B); 1.4 the record dtype (code 18) with its
// size and field list.
inline constexpr std::uint16_t minor_version = 4;
inline constexpr std::size_t header_size = 64;
inline constexpr std::uint32_t default_alignment = 64;
inline constexpr std::uint32_t max_alignment = 1u << 16;

inline constexpr std::uint8_t end_tag = 0xFF;
// A list that Python wrote as a tuple: a list record's body under its own
// tag. Readers report it as node_kind::list (C++ sees a list) and tell it
// apart with reader::peek_tuple(); the table of contents records it as a list.
inline constexpr std::uint8_t tuple_tag = 0x09;
// Bytes that Python wrote as a bytearray (1.3): a bytes record's body under
// its own tag, told apart with reader::peek_bytearray(); bytes to every
// other reader and in the table of contents.
inline constexpr std::uint8_t bytearray_tag = 0x0B;

// The kind of the value a record's tag starts, as every reader but Python's
// sees it (a tuple is a list, a bytearray bytes); nullopt for a byte that
// starts no value.
constexpr std::optional<node_kind> value_kind_of_tag(std::uint8_t tag) noexcept {
    if (tag == tuple_tag) return node_kind::list;
    if (tag == bytearray_tag) return node_kind::bytes;
    return node_kind_from_tag(tag);
}

inline constexpr std::array<std::uint8_t, 8> trailer_magic = {'B', 'R', 'I', 'N', 'E', 'E', 'N', 'D'};
inline constexpr std::size_t trailer_size = 40;  // 4 x u64 + magic

// Strings and bytes at least this long get a table-of-contents entry of their
// own; shorter ones are found by parsing their (indexed) parent container.
inline constexpr std::uint64_t indexed_string_size = 4096;

inline constexpr std::size_t max_varint_bytes = 10;

}  // namespace brine::format::v1
