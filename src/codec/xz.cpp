// xz: one xz stream with one xz block per brine block, written by hand with
// liblzma's building blocks (stream header, lzma_block_buffer_encode, the
// index, stream footer). Each block header records its compressed and
// uncompressed sizes and each block has a CRC64; the index at the end lists
// all blocks (xz's native block index, shown by `xz -l`). liblzma's threaded
// decoder uses those sizes to decode blocks in parallel, so xz needs no
// splitter of its own. Random access reads the index (read_xz_index) and
// decodes from a block with a block decoder, since a block is not a stream.
#include "fuzzing.hpp"
#include "backend.hpp"
#include "liblzma_decoder.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <stdexcept>

namespace brine::codec {
namespace {

constexpr lzma_check check = LZMA_CHECK_CRC64;

class xz_encoder final : public block_encoder {
public:
    xz_encoder(int level, std::uint64_t block_size) {
        if (lzma_lzma_preset(&options_, static_cast<std::uint32_t>(level))) throw std::runtime_error("bad xz preset");
        // The dictionary is capped at half a block: more is little used within
        // one block (W3: 0.17 % larger files at 4 MiB blocks than with the
        // preset's 4 MiB), and each thread's encoder needs ~7.5 times it.
        const std::uint64_t fits = std::bit_ceil(std::max<std::uint64_t>(block_size / 2, LZMA_DICT_SIZE_MIN));
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
    if (!checksums_enforced()) flags |= LZMA_IGNORE_CHECK;
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

// The block index of a file that is exactly one xz stream (what brine
// writes; `xz -T` files too), from the stream's own index: nullopt for
// anything else (concatenated streams, stream padding, sizes that do not add
// up to the file), which is then decoded from the start.
std::optional<block_index> read_xz_index(std::uint64_t file_size,
                                         const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at) {
    // A few bytes per block: 16 MiB of index lists millions of blocks, more
    // than any file brine writes. Checked before allocating for it; liblzma's
    // records for that many blocks stay under the memory cap.
    constexpr std::uint64_t max_index_size = 16u << 20;
    constexpr std::uint64_t max_index_memory = 256u << 20;
    std::array<std::uint8_t, LZMA_STREAM_HEADER_SIZE> header{}, footer{};
    if (file_size < header.size() + footer.size()) return std::nullopt;
    read_at(file_size - footer.size(), std::as_writable_bytes(std::span(footer)));
    read_at(0, std::as_writable_bytes(std::span(header)));
    lzma_stream_flags header_flags{}, footer_flags{};
    if (lzma_stream_footer_decode(&footer_flags, footer.data()) != LZMA_OK ||
        lzma_stream_header_decode(&header_flags, header.data()) != LZMA_OK ||
        lzma_stream_flags_compare(&header_flags, &footer_flags) != LZMA_OK || !lzma_check_is_supported(footer_flags.check))
        return std::nullopt;  // the streaming decoder reports what is wrong, if anything
    const std::uint64_t index_size = footer_flags.backward_size;
    if (index_size > max_index_size || index_size > file_size - header.size() - footer.size()) return std::nullopt;
    bytes raw(index_size);
    read_at(file_size - footer.size() - index_size, raw);
    lzma_index* index = nullptr;
    std::uint64_t memory = max_index_memory;
    std::size_t pos = 0;
    if (lzma_index_buffer_decode(&index, &memory, nullptr, reinterpret_cast<const std::uint8_t*>(raw.data()), &pos,
                                 raw.size()) != LZMA_OK)
        return std::nullopt;
    struct index_guard { lzma_index* i; ~index_guard() { lzma_index_end(i, nullptr); } } guard{index};
    // The index must describe this whole file: header, blocks, index, footer.
    if (pos != raw.size() || lzma_index_size(index) != index_size || lzma_index_file_size(index) != file_size)
        return std::nullopt;
    block_index result;
    result.raw_size = lzma_index_uncompressed_size(index);
    result.check = footer_flags.check;
    result.blocks.reserve(lzma_index_block_count(index));
    lzma_index_iter iter;
    lzma_index_iter_init(&iter, index);
    while (!lzma_index_iter_next(&iter, LZMA_INDEX_ITER_BLOCK))
        result.blocks.push_back({iter.block.compressed_file_offset, iter.block.uncompressed_file_offset});
    return result;
}

// Decodes xz blocks one after another from a block header on, each with its
// own lzma_block_decoder (which checks the block's sizes and its check, e.g.
// CRC64), until the index indicator (a zero byte) where a header would start.
class xz_block_decoder final : public stream_decoder {
public:
    explicit xz_block_decoder(lzma_check check) : check_(check) {}

    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool input_ended) override {
        for (;;) {
            if (block_) {
                if (block_->decode(in, out, input_ended) == decode_status::more) return decode_status::more;
                block_.reset();
                header_size_ = 0;
                // Full: the next block's header waits for the next read, so
                // a read that ends with a block never fails on the next one.
                if (out.empty()) return decode_status::more;
            }
            if (!take_header(in)) return decode_status::more;
            if (header_size_ == 0) return decode_status::stream_end;  // the index: the blocks are over
            start_block();
        }
    }

    void restart() override {
        block_.reset();
        header_size_ = 0;
    }

private:
    // Gathers the next block header from `in`; true once it is whole, or at
    // the index indicator (then header_size_ stays 0).
    bool take_header(std::span<const std::byte>& in) {
        if (header_size_ == 0) {
            if (in.empty()) return false;
            const auto first = std::to_integer<std::uint8_t>(in.front());
            if (first == 0) return true;
            header_size_ = lzma_block_header_size_decode(first);
            have_ = 0;
        }
        const std::size_t n = std::min(in.size(), header_size_ - have_);
        std::copy_n(reinterpret_cast<const std::uint8_t*>(in.data()), n, header_.data() + have_);
        in = in.subspan(n);
        have_ += n;
        return have_ == header_size_;
    }

    void start_block() {
        block_options_ = lzma_block{};
        block_options_.version = 1;
        block_options_.check = check_;
        block_options_.header_size = static_cast<std::uint32_t>(header_size_);
        block_options_.filters = filters_.data();
        switch (lzma_block_header_decode(&block_options_, nullptr, header_.data())) {
        case LZMA_OK: break;
        case LZMA_MEM_ERROR: throw std::bad_alloc();
        case LZMA_OPTIONS_ERROR: throw bad_data{"unsupported block options", "filters and options liblzma supports"};
        default: throw bad_data{"corrupt block header", "a block header with a matching CRC32"};
        }
        if (!checksums_enforced()) block_options_.ignore_check = true;  // after decoding the header, which resets it
        // The filters' options are needed only to set the decoder up.
        struct options_guard {
            std::array<lzma_filter, LZMA_FILTERS_MAX + 1>& f;
            ~options_guard() {
                for (auto& filter : f) {
                    if (filter.id == LZMA_VLI_UNKNOWN) break;
                    std::free(filter.options);
                    filter.options = nullptr;
                }
            }
        } guard{filters_};
        if (lzma_raw_decoder_memusage(filters_.data()) > decoder_limits::memory_limit)
            throw bad_data{"the block needs more decoder memory than the 1 GiB limit", "a smaller dictionary"};
        block_ = std::make_unique<liblzma_decoder>([this](lzma_stream* s) {
            const lzma_ret rc = lzma_block_decoder(s, &block_options_);
            if (rc != LZMA_OK && rc != LZMA_MEM_ERROR)
                throw bad_data{"unsupported block options", "filters and options liblzma supports"};
            return rc;
        });
    }

    lzma_check check_;
    std::array<std::uint8_t, LZMA_BLOCK_HEADER_SIZE_MAX> header_{};
    std::size_t header_size_ = 0, have_ = 0;
    std::array<lzma_filter, LZMA_FILTERS_MAX + 1> filters_{};
    lzma_block block_options_{};  // lzma_block_decoder keeps a pointer to it
    std::unique_ptr<liblzma_decoder> block_;
};

}  // namespace

const backend xz_backend{
    .id = codec_id::xz,
    .default_block_size = 4 << 20,  // with its 2 MiB dictionary: 2 threads dump within data + 64 MiB
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t block_size) -> std::unique_ptr<block_encoder> {
        return std::make_unique<xz_encoder>(level, block_size);
    },
    .make_decoder = make_xz_decoder,
    .make_splitter = nullptr,
    .read_index = read_xz_index,
    .make_block_decoder = [](const decoder_limits&, const block_index& index) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<xz_block_decoder>(static_cast<lzma_check>(index.check));
    },
};

}  // namespace brine::codec
