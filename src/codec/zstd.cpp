// zstd: one frame per block, each with its content size and an XXH64
// checksum, then the seek table (seek_table.hpp) in a skippable frame. The
// splitter walks a frame's block headers (3 bytes each) to cut it out of the
// input without decoding; frames without a content size, or from other
// tools, are decoded by streaming.
#include "fuzzing.hpp"
#include "backend.hpp"
#include "buffered_input.hpp"
#include "model/byte_order.hpp"
#include "seek_table.hpp"

#include <brine/error.hpp>

// For ZSTD_getFrameHeader, ZSTD_FRAMEHEADERSIZE_MAX, ZSTD_BLOCKSIZE_MAX and
// ZSTD_d_forceIgnoreChecksum: stable in practice, exported by libzstd.so.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <new>
#include <stdexcept>

namespace brine::codec {

using detail::load_le;
namespace {

struct cctx_deleter { void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); } };
struct dctx_deleter { void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); } };
using dctx_ptr = std::unique_ptr<ZSTD_DCtx, dctx_deleter>;

void check_zstd(std::size_t rc) {
    if (ZSTD_isError(rc)) throw bad_data{ZSTD_getErrorName(rc), "a valid zstd frame with a matching checksum"};
}

dctx_ptr make_dctx() {
    dctx_ptr d(ZSTD_createDCtx());
    if (!d) throw std::bad_alloc();
    ZSTD_DCtx_setParameter(d.get(), ZSTD_d_windowLogMax, decoder_limits::zstd_window_log_max);
    if (!checksums_enforced()) ZSTD_DCtx_setParameter(d.get(), ZSTD_d_forceIgnoreChecksum, ZSTD_d_ignoreChecksum);
    return d;
}

class zstd_encoder final : public block_encoder {
public:
    explicit zstd_encoder(int level) : level_(level) {}

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        thread_local std::unique_ptr<ZSTD_CCtx, cctx_deleter> cctx(ZSTD_createCCtx());
        if (!cctx) throw std::bad_alloc();
        ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level_);
        ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
        ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
        const std::size_t start = out.size();
        out.resize(start + ZSTD_compressBound(raw.size()));
        const std::size_t n = ZSTD_compress2(cctx.get(), out.data() + start, out.size() - start, raw.data(), raw.size());
        if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
        out.resize(start + n);
        return {.compressed_size = n};
    }

    void end(std::span<const block_summary> blocks, bytes& out) override { append_seek_table(blocks, out); }

private:
    int level_;
};

class zstd_decoder final : public stream_decoder {
public:
    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool) override {
        ZSTD_inBuffer input{in.data(), in.size(), 0};
        ZSTD_outBuffer output{out.data(), out.size(), 0};
        const std::size_t rc = ZSTD_decompressStream(dctx_.get(), &output, &input);
        in = in.subspan(input.pos);
        out = out.subspan(output.pos);
        check_zstd(rc);
        return rc == 0 ? decode_status::stream_end : decode_status::more;  // 0: a frame is complete and flushed
    }
    void restart() override {}  // the context starts the next frame by itself
    bool starts_extra_frame(std::span<const std::byte> prefix) const override { return is_skippable_frame(prefix); }

private:
    dctx_ptr dctx_ = make_dctx();
};

class zstd_splitter final : public block_splitter {
public:
    std::optional<split_block> next(buffered_input& in) override {
        skip_skippable_frames(in, "zstd");
        const auto p = in.peek(ZSTD_FRAMEHEADERSIZE_MAX);
        if (p.size() < 4 || load_le<std::uint32_t>(p) != ZSTD_MAGICNUMBER) return std::nullopt;
        ZSTD_frameHeader header{};
        if (ZSTD_getFrameHeader(&header, p.data(), p.size()) != 0 || header.frameType != ZSTD_frame ||
            header.frameContentSize > max_raw_size || header.dictID != 0)
            return std::nullopt;  // includes ZSTD_CONTENTSIZE_UNKNOWN
        split_block b{.compressed = {}, .raw_size = header.frameContentSize};
        // Room for the frame at once (raw_size is capped above): growing block
        // by block re-copied each frame several times.
        b.compressed.reserve(ZSTD_compressBound(static_cast<std::size_t>(header.frameContentSize)));
        in.append_exactly(b.compressed, header.headerSize, "zstd frame header");
        // Block headers: bit 0 last block, bits 1-2 type, bits 3-23 size.
        for (bool last = false; !last;) {
            const std::uint64_t at = in.offset();
            in.append_exactly(b.compressed, 3, "zstd block header");
            // Exactly 3 bytes: a 4-byte load_le read one byte past the buffer (fuzz/regressions/decode_zstd).
            const auto hb = std::span<const std::byte>(b.compressed).last(3);
            const auto h = static_cast<std::uint32_t>(detail::load_le_n(hb.data(), 3));
            last = h & 1;
            const unsigned type = h >> 1 & 3;
            const std::uint32_t size = h >> 3;
            if (type == 3 || size > ZSTD_BLOCKSIZE_MAX || b.compressed.size() > max_raw_size + (1 << 20))
                throw corrupt_error({in.name(), at}, "zstd: invalid block header (expected a block of at most 128 KiB)");
            in.append_exactly(b.compressed, type == 1 ? 1 : size, "zstd block");  // RLE blocks store one byte
        }
        if (header.checksumFlag) in.append_exactly(b.compressed, 4, "zstd frame checksum");
        return b;
    }

    bool decode(std::span<const std::byte> frame, bytes& out) const override {
        thread_local dctx_ptr dctx = make_dctx();
        const std::size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), frame.data(), frame.size());
        check_zstd(n);
        if (n != out.size()) throw bad_data{"less data than the frame's content size", "the declared content size"};
        return true;
    }
};

}  // namespace

const backend zstd_backend{
    .id = codec_id::zstd,
    .default_block_size = 4 << 20,
    .stream_unit = "frame",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<zstd_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<zstd_decoder>();
    },
    .make_splitter = [](const decoder_limits&) -> std::unique_ptr<block_splitter> {
        return std::make_unique<zstd_splitter>();
    },
    .read_index = read_seek_table,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
