// Segment files of a spill store (docs/format.md, "Spill store"): a 64-byte
// header, then records appended one after the other. A record is a header,
// the key, and the value as stored (a brine root record, through the codec
// and the filters). Records are never changed in place; dead ones are
// reclaimed by copying the live ones elsewhere and deleting the segment.
#pragma once

#include <brine/options.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

namespace brine::store {

inline constexpr std::size_t segment_header_size = 64;
inline constexpr std::size_t record_header_size = 56;
inline constexpr std::uint64_t record_alignment = 8;    // every record starts at a multiple of 8
inline constexpr std::uint64_t value_alignment = 64;    // mappable values start at a multiple of 64
inline constexpr std::uint32_t max_key_length = 1u << 16;

enum class record_kind : std::uint8_t { put = 1, erase = 2, attach = 3 };

// Bits of record_header::filters: which filters were applied to the value,
// after the codec, in bit order.
inline constexpr std::uint8_t age_filter_bit = 1;  // the value is an age file (spill_encryption.hpp)
inline constexpr std::uint8_t known_filters = age_filter_bit;

struct record_header {
    record_kind kind = record_kind::put;
    codec_id codec = codec_id::none;
    std::uint8_t value_pad = 0;      // zero bytes between the key and the value
    std::uint8_t filters = 0;
    std::uint64_t seq = 0;           // version: the highest seq of a key wins
    std::uint32_t key_length = 0;
    std::uint64_t value_length = 0;  // stored bytes
    std::uint64_t raw_length = 0;    // bytes of the brine root record before codec and filters
    std::uint64_t value_hash = 0;    // xxh3 of the stored bytes
};

// A record found in a segment: its header and where its parts are.
struct record_view {
    record_header header;
    std::string key;
    std::uint64_t offset = 0;        // of the record header
    std::uint64_t value_offset = 0;  // of the stored value
    std::uint64_t end = 0;           // one past the value
    std::uint64_t next() const noexcept { return (end + record_alignment - 1) / record_alignment * record_alignment; }
    std::uint64_t length() const noexcept { return end - offset; }
};

// The 64 bytes that start segment `id`.
std::array<std::byte, segment_header_size> encode_segment_header(std::uint32_t id);
// Checks them; returns what is wrong, or nothing.
std::optional<std::string> check_segment_header(std::span<const std::byte> bytes, std::uint32_t id);

// The record header, key and padding up to the value, ready to be written at
// `offset` (the value then starts at offset + size()).
std::string encode_record_prefix(const record_header& h, std::string_view key);
// The padding a value needs so that it starts at a multiple of 64 when
// `aligned`, for a record at `offset` with a key of `key_length` bytes.
std::uint8_t value_padding(std::uint64_t offset, std::size_t key_length, bool aligned);

// Parses the record at `offset` of `segment` (the whole file's bytes).
// Returns what is wrong instead when the bytes there are not a complete
// record (a torn tail, or corruption); the value's hash is not checked.
struct parse_result {
    std::optional<record_view> record;
    std::string problem;
};
parse_result parse_record(std::span<const std::byte> segment, std::uint64_t offset);
// The same from `prefix`, the bytes read at `offset` of a segment of `size`
// bytes: at least the record's header and key, not necessarily its value.
parse_result parse_record_prefix(std::span<const std::byte> prefix, std::uint64_t offset, std::uint64_t size);

// seg-0000002a.bss
std::string segment_file_name(std::uint32_t id);
std::optional<std::uint32_t> segment_id_from_name(const std::string& name);

}  // namespace brine::store
