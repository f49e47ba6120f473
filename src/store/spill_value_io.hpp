// A value's way to and from a segment. Stored bytes are the value's brine
// root record alone (no file header, table of contents or trailer: the
// record header has the length and checksum), through the codec, then the
// filters. The record is laid out as if it sat at offset 64 of a brine file,
// so a value starting at a multiple of 64 in the segment keeps its array
// payloads 64-aligned: an uncompressed value is mapped in place.
#pragma once

#include "store/spill_filter.hpp"
#include "store/spill_segment.hpp"
#include "store/spill_segment_file.hpp"

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace brine::store {

using filter_list = std::vector<std::unique_ptr<spill_filter>>;

struct written_value {
    std::uint64_t stored_length = 0;
    std::uint64_t raw_length = 0;
    std::uint64_t hash = 0;
};

// Streams the value into `file` from `offset` on. Never writes more than
// `budget` bytes: past it, a brine::capacity_error (disk_limit) that says so.
written_value write_value(segment_file& file, std::uint64_t offset, const std::function<void(format::writer&)>& save,
                          codec_id codec, int level, const filter_list& filters, std::uint64_t budget);

// Values at least this large and uncompressed come back as a private
// mapping of the segment; smaller ones are read (a mapping costs two system
// calls and a page per value).
inline constexpr std::uint64_t map_threshold = 64 * 1024;

using value_loader = std::function<std::shared_ptr<const void>(format::reader&)>;

// Loads the value of the record of `length` bytes at `offset`, for `key`,
// knowing only where the record is (spill_index keeps no more). A record
// under map_threshold bytes is read whole with one pread; a larger one
// header first, then its
// value: mapped when uncompressed, at least map_threshold bytes and
// 64-aligned, read and checked against its checksum otherwise. `what`
// names the value in errors ("key \"a\""). Returns the record's header too
// (its raw_length is the value's default weight).
struct read_record {
    std::shared_ptr<const void> value;
    record_header header;
};
read_record read_record_value(const segment_file& file, std::uint64_t offset, std::uint64_t length, std::string_view key,
                              const filter_list& filters, const value_loader& load, const std::string& what);

}  // namespace brine::store
