// zlib (.z): a zlib stream cannot be concatenated, so brine uses pigz's
// technique to still compress blocks in parallel: each block is raw deflate
// with the previous 32 KiB of input as its dictionary, ending in a sync flush
// (byte-aligned, not final). The trailer is an empty final block (03 00) and
// the Adler-32 of everything, combined from the blocks' own. The result is one
// ordinary zlib stream; it decodes sequentially (blocks depend on history).
#include "backend.hpp"
#include "byte_order.hpp"
#include "deflate_engine.hpp"

namespace brine::codec {
namespace {

class zlib_encoder final : public block_encoder {
public:
    explicit zlib_encoder(int level) : level_(level) {}

    std::size_t history_size() const override { return 32 << 10; }

    void begin(bytes& out) override {
        // CMF: deflate with a 32 KiB window. FLG: FLEVEL as zlib sets it, then
        // FCHECK so that CMF * 256 + FLG is a multiple of 31.
        const unsigned cmf = 0x78;
        const unsigned flevel = level_ <= 1 ? 0 : level_ <= 5 ? 1 : level_ == 6 ? 2 : 3;
        unsigned flg = flevel << 6;
        flg += 31 - (cmf * 256 + flg) % 31;
        append_bytes(out, {static_cast<std::uint8_t>(cmf), static_cast<std::uint8_t>(flg)});
    }

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte> history,
                                 bytes& out) override {
        const std::size_t start = out.size();
        deflate::compress(raw, history, level_, false, out);
        return {.compressed_size = out.size() - start, .check = deflate::adler32(raw)};
    }

    void end(std::span<const block_summary> blocks, bytes& out) override {
        std::uint32_t adler = 1;
        for (const auto& b : blocks) adler = deflate::combine_adler32(adler, b.check, b.raw_size);
        append_bytes(out, {0x03, 0x00});  // final fixed-Huffman block holding only end-of-block
        append_be<std::uint32_t>(out, adler);
    }

private:
    int level_;
};

}  // namespace

const backend zlib_backend{
    .id = codec_id::zlib,
    .default_block_size = 1 << 20,
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<zlib_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) { return deflate::make_inflater(15); },
    .make_splitter = nullptr,
    .read_index = nullptr,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
