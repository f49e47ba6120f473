// The deflate engines behind gzip and zlib, chosen by measurement
// (docs/codecs.md, bench/codec_deflate_engines.cpp):
//   compression  levels 1-3: ISA-L (about 10x zlib, same ratio); levels 4-9:
//                libdeflate for whole gzip members, zlib when a block needs a
//                dictionary (zlib .z blocks); level 0: stored, by zlib.
//   whole-block decompression: libdeflate; streaming: zlib.
// Each library is optional (BRINE_HAVE_ISAL, BRINE_HAVE_LIBDEFLATE); zlib
// alone does everything, only slower.
#pragma once

#include "backend.hpp"

#include <cstdint>
#include <memory>
#include <span>

namespace brine::codec::deflate {

// Appends raw deflate data for `raw` to `out`, using up to the last 32 KiB of
// `history` (the input before `raw`) as the dictionary. A final block ends
// the deflate stream; otherwise the data ends with a sync flush (an empty
// stored block), byte-aligned, and the stream goes on in the next block.
void compress(std::span<const std::byte> raw, std::span<const std::byte> history, int level, bool final_block,
              bytes& out);

// Decodes one complete raw deflate stream that must fill exactly `out` and
// use exactly all of `in`. Throws bad_data.
void decompress_exact(std::span<const std::byte> in, std::span<std::byte> out);

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0);
std::uint32_t adler32(std::span<const std::byte> data, std::uint32_t adler = 1);
std::uint32_t combine_crc32(std::uint32_t first, std::uint32_t second, std::uint64_t second_size);
std::uint32_t combine_adler32(std::uint32_t first, std::uint32_t second, std::uint64_t second_size);

// pigz's technique for one deflate stream built from blocks compressed in
// parallel: each block is deflated with the previous 32 KiB of input as its
// dictionary and ends in a sync flush (byte-aligned, not final); the stream
// ends with an empty final block, and the blocks' checksums are combined.
// The zlib (.z) and single-member gzip encoders add their header and trailer.
class chained_block_encoder : public block_encoder {
public:
    enum class check_kind { adler32, crc32 };
    chained_block_encoder(int level, check_kind check) : level_(level), check_(check) {}
    std::size_t history_size() const override { return 32 << 10; }
    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte> history,
                                 bytes& out) override;

protected:
    // Appends the final empty block; returns the check of all the raw bytes.
    std::uint32_t end_deflate(std::span<const block_summary> blocks, bytes& out) const;
    int level_;

private:
    check_kind check_;
};

// Streaming inflate of zlib (window_bits 15) or gzip (31) data: one stream
// or member per decode()..stream_end; checks the trailer checksum.
std::unique_ptr<stream_decoder> make_inflater(int window_bits);

}  // namespace brine::codec::deflate
