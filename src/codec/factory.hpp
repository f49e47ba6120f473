// The codec layer as the rest of libbrine sees it: a sink that compresses
// into another sink, and a source that decompresses another source. The
// codec implementations behind these stay private to src/codec/.
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <cstdint>
#include <memory>

namespace brine::codec {

struct encoder_settings {
    codec_id id;
    int level;                     // already resolved from the default
    unsigned threads;              // >= 1
    std::uint64_t block_size;      // 0 = codec default
    // One gzip member for the whole file, still built in parallel (pigz's
    // technique), for readers that stop after the first member: joblib's
    // BinaryZlibFile. Codecs whose output is one stream anyway ignore it.
    bool single_stream = false;
};

// A sink that compresses everything written to it into `downstream` as one
// standard file of the codec. finish() finishes the compressed stream and then
// calls downstream.finish(). codec_id::none gives a pass-through sink.
// Throws brine::unsupported_error for a level outside the codec's range.
std::unique_ptr<io::sink> make_encoding_sink(io::sink& downstream, const encoder_settings&);

struct decoder_settings {
    unsigned threads;              // >= 1
};

// A source that decompresses `upstream` (which starts at the codec's magic).
// Handles concatenated streams, members and frames (multi-member gzip,
// concatenated bz2/xz/zstd/lz4, skippable frames). After the last stream,
// trailing bytes are a brine::corrupt_error, not silently ignored.
// codec_id::none gives a pass-through source.
std::unique_ptr<io::source> make_decoding_source(codec_id id, io::source& upstream, const decoder_settings&);

struct block_index;
// For random access (seekable.cpp): a source that decompresses `upstream`,
// which stands at `offset` in a file with block index `index`, at the start
// of one of its blocks, up to the end of the file's blocks. One thread.
// Offsets in messages are the file's.
std::unique_ptr<io::source> make_block_decoding_source(codec_id id, io::source& upstream, std::uint64_t offset,
                                                       const block_index& index);

}  // namespace brine::codec
