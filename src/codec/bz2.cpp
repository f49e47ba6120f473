// bzip2: one complete bzip2 stream per block; bzip2 -d reads the
// concatenation. bzip2 streams carry no sizes, so brine decodes them
// sequentially (no splitter) and keeps no index. Each bzip2 block and each
// stream has its own CRC, which libbz2 checks.
#include "backend.hpp"

#include <bzlib.h>

#include <algorithm>
#include <climits>
#include <new>
#include <stdexcept>

namespace brine::codec {
namespace {

auto* chars(const std::byte* p) { return reinterpret_cast<char*>(const_cast<std::byte*>(p)); }

class bz2_encoder final : public block_encoder {
public:
    explicit bz2_encoder(int level) : level_(level) {}

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        const std::size_t start = out.size();
        // libbz2's documented bound: 1% + 600 bytes.
        unsigned int size = static_cast<unsigned int>(raw.size() + raw.size() / 100 + 600);
        out.resize(start + size);
        const int rc = BZ2_bzBuffToBuffCompress(chars(out.data() + start), &size, chars(raw.data()),
                                                static_cast<unsigned int>(raw.size()), level_, 0, 0);
        if (rc == BZ_MEM_ERROR) throw std::bad_alloc();
        if (rc != BZ_OK) throw std::runtime_error("BZ2_bzBuffToBuffCompress failed: " + std::to_string(rc));
        out.resize(start + size);
        return {.compressed_size = size};
    }

private:
    int level_;
};

class bz2_decoder final : public stream_decoder {
public:
    bz2_decoder() { init(); }
    ~bz2_decoder() override { BZ2_bzDecompressEnd(&s_); }

    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool) override {
        s_.next_in = chars(in.data());
        s_.avail_in = static_cast<unsigned int>(std::min<std::size_t>(in.size(), UINT_MAX));
        s_.next_out = chars(out.data());
        s_.avail_out = static_cast<unsigned int>(std::min<std::size_t>(out.size(), UINT_MAX));
        const unsigned int in_before = s_.avail_in, out_before = s_.avail_out;
        const int rc = BZ2_bzDecompress(&s_);
        in = in.subspan(in_before - s_.avail_in);
        out = out.subspan(out_before - s_.avail_out);
        switch (rc) {
        case BZ_STREAM_END: return decode_status::stream_end;
        case BZ_OK: return decode_status::more;
        case BZ_MEM_ERROR: throw std::bad_alloc();
        case BZ_DATA_ERROR_MAGIC: throw bad_data{"bad stream header", "\"BZh\" and a block size digit"};
        default: throw bad_data{"invalid or corrupt bzip2 data", "a valid block with a matching CRC"};
        }
    }

    void restart() override {
        BZ2_bzDecompressEnd(&s_);
        init();
    }

private:
    void init() {
        s_ = {};
        if (BZ2_bzDecompressInit(&s_, 0, 0) != BZ_OK) throw std::bad_alloc();
    }
    bz_stream s_{};
};

}  // namespace

const backend bz2_backend{
    .id = codec_id::bz2,
    .default_block_size = 8 * 900'000,  // eight bzip2 blocks of the largest size per stream
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<bz2_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<bz2_decoder>();
    },
    .make_splitter = nullptr,
    .read_index = nullptr,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
