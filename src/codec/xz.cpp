// xz: one xz stream with one xz block per brine block, written by hand with
// liblzma's building blocks (stream header, lzma_block_buffer_encode, the
// index, stream footer). Each block header records its compressed and
// uncompressed sizes and each block has a CRC64; the index at the end lists
// all blocks (xz's native block index, shown by `xz -l`). liblzma's threaded
// decoder uses those sizes to decode blocks in parallel, so xz needs no
// splitter of its own.
#include "backend.hpp"
#include "liblzma_decoder.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace brine::codec {
namespace {

constexpr lzma_check check = LZMA_CHECK_CRC64;

class xz_encoder final : public block_encoder {
public:
    xz_encoder(int level, std::uint64_t block_size) {
        if (lzma_lzma_preset(&options_, static_cast<std::uint32_t>(level))) throw std::runtime_error("bad xz preset");
        // A dictionary larger than a block is never used: cap it, saving memory.
        const std::uint64_t fits = std::bit_ceil(std::max<std::uint64_t>(block_size, LZMA_DICT_SIZE_MIN));
        options_.dict_size = static_cast<std::uint32_t>(std::min<std::uint64_t>(options_.dict_size, fits));
    }

    void begin(bytes& out) override {
        lzma_stream_flags flags{};
        flags.check = check;
        const std::size_t start = out.size();
        out.resize(start + LZMA_STREAM_HEADER_SIZE);
        if (lzma_stream_header_encode(&flags, reinterpret_cast<std::uint8_t*>(out.data() + start)) != LZMA_OK)
            throw std::runtime_error("lzma_stream_header_encode failed");
    }

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        if (raw.empty()) return {};  // xz streams may hold no block at all
        lzma_options_lzma options = options_;  // liblzma wants a non-const pointer; each thread its own copy
        lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &options}, {LZMA_VLI_UNKNOWN, nullptr}};
        lzma_block block{};
        block.version = 0;
        block.check = check;
        block.filters = filters;
        const std::size_t start = out.size();
        out.resize(start + lzma_block_buffer_bound(raw.size()));
        std::size_t pos = start;
        const lzma_ret rc = lzma_block_buffer_encode(&block, nullptr, reinterpret_cast<const std::uint8_t*>(raw.data()),
                                                     raw.size(), reinterpret_cast<std::uint8_t*>(out.data()), &pos,
                                                     out.size());
        if (rc == LZMA_MEM_ERROR) throw std::bad_alloc();
        if (rc != LZMA_OK) throw std::runtime_error("lzma_block_buffer_encode failed: " + std::to_string(rc));
        out.resize(pos);
        return {.compressed_size = lzma_block_unpadded_size(&block)};
    }

    void end(std::span<const block_summary> blocks, bytes& out) override {
        lzma_index* index = lzma_index_init(nullptr);
        if (!index) throw std::bad_alloc();
        struct index_guard { lzma_index* i; ~index_guard() { lzma_index_end(i, nullptr); } } guard{index};
        for (const auto& b : blocks)
            if (b.raw_size > 0 && lzma_index_append(index, nullptr, b.compressed_size, b.raw_size) != LZMA_OK)
                throw std::runtime_error("lzma_index_append failed");
        const std::size_t index_size = lzma_index_size(index);
        std::size_t pos = out.size();
        out.resize(pos + index_size + LZMA_STREAM_HEADER_SIZE);
        if (lzma_index_buffer_encode(index, reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size()) != LZMA_OK)
            throw std::runtime_error("lzma_index_buffer_encode failed");
        lzma_stream_flags flags{};
        flags.backward_size = index_size;
        flags.check = check;
        if (lzma_stream_footer_encode(&flags, reinterpret_cast<std::uint8_t*>(out.data() + pos)) != LZMA_OK)
            throw std::runtime_error("lzma_stream_footer_encode failed");
    }

private:
    lzma_options_lzma options_{};
};

// Concatenated streams are handled like every other codec's (stream after
// stream, so trailing garbage gets a clear message), plus xz's stream padding:
// runs of zero bytes, a multiple of 4 long, between or after streams.
class xz_decoder final : public stream_decoder {
public:
    explicit xz_decoder(std::unique_ptr<stream_decoder> streams) : streams_(std::move(streams)) {}

    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool input_ended) override {
        if (!in_padding_) return streams_->decode(in, out, input_ended);
        while (!in.empty() && in.front() == std::byte{0}) {
            in = in.subspan(1);
            ++padding_;
        }
        if (in.empty() && !input_ended) return decode_status::more;
        if (padding_ % 4 != 0) throw bad_data{"stream padding of " + std::to_string(padding_) + " bytes", "a multiple of 4"};
        in_padding_ = false;
        return decode_status::stream_end;  // the padding, as if it were a stream of its own
    }

    void restart() override {
        streams_->restart();
        padding_ = 0;
    }

    // The pipeline asks this (when the xz magic is absent) before restart().
    bool starts_extra_frame(std::span<const std::byte> prefix) const override {
        in_padding_ = !prefix.empty() && prefix.front() == std::byte{0};
        return in_padding_;
    }

private:
    std::unique_ptr<stream_decoder> streams_;
    mutable bool in_padding_ = false;
    std::uint64_t padding_ = 0;
};

std::unique_ptr<stream_decoder> make_xz_stream_decoder(const decoder_limits& limits) {
    std::uint32_t flags = 0;
#ifdef BRINE_FUZZING
    flags |= LZMA_IGNORE_CHECK;
#endif
#if LZMA_VERSION >= 50040002
    if (limits.threads > 1)
        return std::make_unique<liblzma_decoder>([flags, threads = limits.threads](lzma_stream* s) {
            lzma_mt mt{};
            mt.flags = flags;
            mt.threads = threads;
            // Above this, liblzma falls back to one thread instead of failing.
            mt.memlimit_threading = 256u << 20;
            mt.memlimit_stop = decoder_limits::memory_limit;
            return lzma_stream_decoder_mt(s, &mt);
        });
#endif
    return std::make_unique<liblzma_decoder>(
        [flags](lzma_stream* s) { return lzma_stream_decoder(s, decoder_limits::memory_limit, flags); });
}

std::unique_ptr<stream_decoder> make_xz_decoder(const decoder_limits& limits) {
    return std::make_unique<xz_decoder>(make_xz_stream_decoder(limits));
}

}  // namespace

const backend xz_backend{
    .id = codec_id::xz,
    .default_block_size = 8 << 20,
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t block_size) -> std::unique_ptr<block_encoder> {
        return std::make_unique<xz_encoder>(level, block_size);
    },
    .make_decoder = make_xz_decoder,
    .make_splitter = nullptr,
    .read_index = nullptr,
};

}  // namespace brine::codec
