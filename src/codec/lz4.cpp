// lz4: one LZ4 frame per block, with its content size and a content
// checksum (XXH32), then the seek table (seek_table.hpp) in a skippable
// frame. The splitter walks a frame's block size fields to cut it out of the
// input; frames without a content size or with a dictionary are decoded by
// streaming.
#include "fuzzing.hpp"
#include "backend.hpp"
#include "buffered_input.hpp"
#include "model/byte_order.hpp"
#include "seek_table.hpp"

#include <brine/error.hpp>

#include <lz4frame.h>

#include <new>
#include <stdexcept>

namespace brine::codec {

using detail::load_le;
namespace {

constexpr std::uint32_t frame_magic = 0x184D2204;

struct dctx_deleter { void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); } };
using dctx_ptr = std::unique_ptr<LZ4F_dctx, dctx_deleter>;

dctx_ptr make_dctx() {
    LZ4F_dctx* d = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) throw std::bad_alloc();
    return dctx_ptr(d);
}

LZ4F_decompressOptions_t decompress_options() {
    LZ4F_decompressOptions_t o{};
    if (!checksums_enforced()) o.skipChecksums = 1;
    return o;
}

class lz4_encoder final : public block_encoder {
public:
    explicit lz4_encoder(int level) : level_(level) {}

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        LZ4F_preferences_t prefs{};
        prefs.compressionLevel = level_;
        prefs.frameInfo.blockSizeID = LZ4F_max4MB;
        prefs.frameInfo.blockMode = LZ4F_blockIndependent;
        prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
        prefs.frameInfo.contentSize = raw.size();
        const std::size_t start = out.size();
        out.resize(start + LZ4F_compressFrameBound(raw.size(), &prefs));
        const std::size_t n = LZ4F_compressFrame(out.data() + start, out.size() - start, raw.data(), raw.size(), &prefs);
        if (LZ4F_isError(n)) throw std::runtime_error(std::string("lz4 compression failed: ") + LZ4F_getErrorName(n));
        out.resize(start + n);
        return {.compressed_size = n};
    }

    void end(std::span<const block_summary> blocks, bytes& out) override { append_seek_table(blocks, out); }

private:
    int level_;
};

class lz4_decoder final : public stream_decoder {
public:
    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool) override {
        std::size_t in_size = in.size(), out_size = out.size();
        const auto options = decompress_options();
        const std::size_t rc = LZ4F_decompress(dctx_.get(), out.data(), &out_size, in.data(), &in_size, &options);
        in = in.subspan(in_size);
        out = out.subspan(out_size);
        if (LZ4F_isError(rc)) throw bad_data{LZ4F_getErrorName(rc), "a valid lz4 frame with matching checksums"};
        return rc == 0 ? decode_status::stream_end : decode_status::more;  // 0: the frame is complete
    }
    void restart() override { LZ4F_resetDecompressionContext(dctx_.get()); }
    bool starts_extra_frame(std::span<const std::byte> prefix) const override { return is_skippable_frame(prefix); }

private:
    dctx_ptr dctx_ = make_dctx();
};

class lz4_splitter final : public block_splitter {
public:
    std::optional<split_block> next(buffered_input& in) override {
        skip_skippable_frames(in, "lz4");
        // magic | FLG | BD | content size (8) | header checksum: brine's frames.
        const auto p = in.peek(15);
        if (p.size() < 15 || load_le<std::uint32_t>(p) != frame_magic) return std::nullopt;
        const auto flg = std::to_integer<std::uint8_t>(p[4]), bd = std::to_integer<std::uint8_t>(p[5]);
        const bool version_1 = (flg >> 6) == 1, has_size = flg & 0x08, has_dict = flg & 0x01;
        const bool block_checksums = flg & 0x10, content_checksum = flg & 0x04;
        const unsigned size_id = bd >> 4 & 7;
        if (!version_1 || !has_size || has_dict || size_id < 4) return std::nullopt;
        const std::uint64_t raw_size = load_le<std::uint64_t>(p.subspan(6));
        if (raw_size > max_raw_size) return std::nullopt;
        const std::uint32_t max_block = 1u << (8 + 2 * size_id);  // 4: 64 KiB ... 7: 4 MiB
        split_block b{.compressed = {}, .raw_size = raw_size};
        // Room for the frame at once (raw_size is capped above): growing block
        // by block re-copied each frame several times.
        b.compressed.reserve(static_cast<std::size_t>(LZ4F_compressFrameBound(raw_size, nullptr)));
        in.append_exactly(b.compressed, 15, "lz4 frame header");
        for (;;) {
            const std::uint64_t at = in.offset();
            in.append_exactly(b.compressed, 4, "lz4 block size");
            const std::uint32_t size = load_le<std::uint32_t>(std::span<const std::byte>(b.compressed).last(4)) & 0x7FFFFFFF;
            if (size == 0) break;  // the end mark
            if (size > max_block || b.compressed.size() > max_raw_size + (1 << 20))
                throw corrupt_error({in.name(), at}, "lz4: block of " + std::to_string(size) +
                                                         " bytes (expected at most the frame's block size " +
                                                         std::to_string(max_block) + ")");
            in.append_exactly(b.compressed, size + (block_checksums ? 4 : 0), "lz4 block");
        }
        if (content_checksum) in.append_exactly(b.compressed, 4, "lz4 content checksum");
        return b;
    }

    bool decode(std::span<const std::byte> frame, bytes& out) const override {
        thread_local dctx_ptr dctx = make_dctx();
        LZ4F_resetDecompressionContext(dctx.get());
        std::size_t in_size = frame.size(), out_size = out.size();
        const auto options = decompress_options();
        const std::size_t rc = LZ4F_decompress(dctx.get(), out.data(), &out_size, frame.data(), &in_size, &options);
        if (LZ4F_isError(rc)) throw bad_data{LZ4F_getErrorName(rc), "a valid lz4 frame with matching checksums"};
        if (rc != 0 || in_size != frame.size() || out_size != out.size())
            throw bad_data{"a frame that does not decode to its content size", "the declared content size"};
        return true;
    }
};

}  // namespace

const backend lz4_backend{
    .id = codec_id::lz4,
    .default_block_size = 4 << 20,
    .stream_unit = "frame",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<lz4_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<lz4_decoder>();
    },
    .make_splitter = [](const decoder_limits&) -> std::unique_ptr<block_splitter> {
        return std::make_unique<lz4_splitter>();
    },
    .read_index = read_seek_table,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
