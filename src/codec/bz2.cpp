// bzip2: one complete bzip2 stream per block; bzip2 -d reads the
// concatenation. Each bzip2 block and each stream has its own CRC, which
// libbz2 checks.
//
// bzip2 streams carry no sizes, so brine keeps no index, and the splitter
// guesses: a stream runs up to the next byte-aligned stream start
// ("BZh", a level digit, then the magic of a first block or of an empty
// stream's end), which brine's streams always are and which inside
// compressed data is rare. A guessed block counts only if it decodes to
// exactly one whole stream; otherwise the pipeline streams from its start.
// No stream start within 16 MiB (a single large stream from the bzip2 CLI):
// the rest is streamed, sequentially, in constant memory.
#include "backend.hpp"
#include "buffered_input.hpp"

#include <bzlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string_view>

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

constexpr std::size_t stream_start_size = 10;

// "BZh", '1'..'9', then the 48-bit magic of a block (pi) or of the end of
// the stream (sqrt(pi)); both follow the header byte-aligned.
bool is_stream_start(std::span<const std::byte> p) {
    static constexpr unsigned char block_magic[] = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
    static constexpr unsigned char end_magic[] = {0x17, 0x72, 0x45, 0x38, 0x50, 0x90};
    if (p.size() < stream_start_size || std::memcmp(p.data(), "BZh", 3) != 0) return false;
    const auto digit = std::to_integer<char>(p[3]);
    return digit >= '1' && digit <= '9' &&
           (std::memcmp(p.data() + 4, block_magic, 6) == 0 || std::memcmp(p.data() + 4, end_magic, 6) == 0);
}

// The first stream start at or after `from` that lies wholly in `p`, else p.size().
std::size_t find_stream_start(std::span<const std::byte> p, std::size_t from) {
    const std::string_view text(reinterpret_cast<const char*>(p.data()), p.size());
    for (auto at = text.find("BZh", from); at != std::string_view::npos && at + stream_start_size <= p.size();
         at = text.find("BZh", at + 1))
        if (is_stream_start(p.subspan(at))) return at;
    return p.size();
}

class bz2_splitter final : public block_splitter {
public:
    // Twice the largest stream brine has written by default (7.2 MB raw in
    // its first files, 3.6 MB now; at worst 1% larger compressed): more
    // means another tool's stream.
    static constexpr std::size_t max_look_ahead = 16u << 20;

    std::optional<split_block> next(buffered_input& in) override {
        if (!is_stream_start(in.peek(stream_start_size))) return std::nullopt;
        split_block b;  // raw size unknown
        // Windows of the read buffer, keeping the last 9 bytes of one for the
        // next in case a stream start straddles them.
        for (std::size_t from = 1;; from = 0) {
            const auto window = in.peek(buffered_input::capacity);
            const bool input_ends = window.size() < buffered_input::capacity;
            const std::size_t found = find_stream_start(window, from);
            const std::size_t take = found < window.size() || input_ends ? found
                                                                         : window.size() - (stream_start_size - 1);
            b.compressed.insert(b.compressed.end(), window.begin(), window.begin() + static_cast<std::ptrdiff_t>(take));
            in.consume(take);
            if (found < window.size() || input_ends) return b;
            if (b.compressed.size() > max_look_ahead) {
                in.unread(b.compressed);
                return std::nullopt;
            }
        }
    }

    bool decode(std::span<const std::byte> compressed, bytes& out) const override {
        bz2_decoder decoder;
        std::size_t produced = 0;
        try {
            for (;;) {
                if (produced == out.size()) {
                    if (produced == max_raw_size) return false;
                    // A reused buffer's capacity first: usually the whole stream.
                    out.resize(std::min<std::size_t>(max_raw_size, std::max({out.capacity(), 2 * produced, std::size_t{1} << 20})));
                }
                auto free = std::span(out).subspan(produced);
                const std::size_t before = free.size();
                const auto status = decoder.decode(compressed, free, true);
                produced += before - free.size();
                if (status == decode_status::stream_end) {
                    out.resize(produced);
                    return compressed.empty();  // more after the stream end: a false cut
                }
                if (compressed.empty() && !free.empty()) return false;  // ends inside the stream
            }
        } catch (const bad_data&) {
            return false;  // maybe a false cut: streaming tells that from damage
        }
    }
};

}  // namespace

const backend bz2_backend{
    .id = codec_id::bz2,
    .default_block_size = 4 * 900'000,  // 12 bzip2 blocks at level 3, 4 at level 9: few MiB in flight per thread
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<bz2_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<bz2_decoder>();
    },
    .make_splitter = [](const decoder_limits&) -> std::unique_ptr<block_splitter> {
        return std::make_unique<bz2_splitter>();
    },
    .read_index = nullptr,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
