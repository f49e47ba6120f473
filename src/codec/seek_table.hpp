// The block index of zstd and lz4 files: the seek table of zstd's seekable
// format (contrib/seekable_format), in a skippable frame at the end of the
// file, which zstd -d and lz4 -d skip:
//
//   magic 0x184D2A5E | frame size (u32) | per block: compressed size (u32),
//   raw size (u32) | number of blocks (u32) | descriptor 0 | 0x8F92EAB1
//
// Readers that can seek read the last 9 bytes, then the table. Streaming
// readers skip it like any skippable frame.
#pragma once

#include "backend.hpp"

namespace brine::codec {

class buffered_input;

void append_seek_table(std::span<const block_summary> blocks, bytes& out);

// A skippable frame (magic 0x184D2A50..5F, shared by zstd and lz4).
bool is_skippable_frame(std::span<const std::byte> prefix);

// The seek table at the end of a file, when it describes the whole file.
std::optional<block_index> read_seek_table(std::uint64_t file_size,
                                           const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at);

// Skips skippable frames at the input's position. Throws truncated_error.
void skip_skippable_frames(buffered_input& in, std::string_view codec_name);

}  // namespace brine::codec
