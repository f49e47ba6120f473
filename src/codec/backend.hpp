// What each codec file implements: one block encoder, one streaming decoder,
// and optionally a block splitter for parallel decoding of files brine wrote.
// The pipelines (encode_pipeline.cpp, decode_pipeline.cpp) drive these; the
// codec files know nothing about threads, sinks or sources.
#pragma once

#include <brine/options.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <utility>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::io {
class source;
}

namespace brine::codec {

class buffered_input;

// Leaves new elements uninitialized: codec buffers are resized to a bound
// and then written by the codec, so zero-filling them first is wasted work.
template <class T>
struct uninitialized_allocator : std::allocator<T> {
    template <class U>
    struct rebind { using other = uninitialized_allocator<U>; };
    uninitialized_allocator() = default;
    template <class U>
    uninitialized_allocator(const uninitialized_allocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

using bytes = std::vector<std::byte, uninitialized_allocator<std::byte>>;

// Reuses block buffers, so a long stream does not page-fault fresh memory
// in for every block. Used from the pipeline's own thread only.
class buffer_pool {
public:
    bytes take(std::size_t capacity) {
        bytes b;
        if (!free_.empty()) {
            b = std::move(free_.back());
            free_.pop_back();
        }
        b.clear();
        b.reserve(capacity);
        return b;
    }
    void give(bytes b) {
        if (free_.size() < 16) free_.push_back(std::move(b));
    }

private:
    std::vector<bytes> free_;
};

// Thrown by codec code on bad compressed data; the pipeline adds the file,
// the offset and the stream number and turns it into brine::corrupt_error.
struct bad_data {
    std::string problem;   // "invalid deflate data"
    std::string expected;  // "a valid block"
};

// What the encoder remembers about one compressed block, for its trailer
// (block index, combined checksum).
struct block_summary {
    std::uint64_t raw_size = 0;
    std::uint64_t compressed_size = 0;  // as written (xz: the unpadded size)
    std::uint32_t check = 0;            // zlib: adler32 of the raw bytes
};

// Turns a sequence of blocks into one standard compressed file:
//   begin() + compress_block()* + end().
// When independent_blocks() is true, compress_block() is const-safe: the
// pipeline calls it from several threads at once and writes the results in
// order. Otherwise the pipeline calls it in order on the writer's thread.
class block_encoder {
public:
    virtual ~block_encoder() = default;
    virtual bool independent_blocks() const { return true; }
    // Bytes of the input that precede a block and that compress_block()
    // receives as `history` (zlib: 32 KiB, for pigz's technique).
    virtual std::size_t history_size() const { return 0; }
    virtual void begin(bytes& /*out*/) {}
    // Appends the compressed form of `raw` to `out`.
    virtual block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte> history,
                                         bytes& out) = 0;
    virtual void end(std::span<const block_summary> /*blocks*/, bytes& /*out*/) {}
};

enum class decode_status { more, stream_end };

// Incremental decoder of one stream (gzip member, bz2 stream, zstd frame...).
class stream_decoder {
public:
    virtual ~stream_decoder() = default;
    // Decodes from the front of `in` into the front of `out`, advancing both.
    // `input_ended`: nothing follows `in`. Returns stream_end once a whole
    // stream has been decoded and checked. Throws bad_data.
    virtual decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool input_ended) = 0;
    // Prepares for the next concatenated stream.
    virtual void restart() = 0;
    // Besides the codec's magic number, whether `prefix` (up to magic_bytes
    // of what follows a stream) starts something this decoder reads between
    // streams: zstd and lz4 skippable frames.
    virtual bool starts_extra_frame(std::span<const std::byte> /*prefix*/) const { return false; }
};

// A block cut out of the compressed input without decoding it, plus what it
// decodes to, for decoding on another thread.
struct split_block {
    bytes compressed;
    // Checked against block_splitter::max_raw_size. nullopt: the format does
    // not say (bz2); the block decodes to at most max_raw_size bytes or is
    // not taken as a block.
    std::optional<std::uint64_t> raw_size;
};

// Recognizes the independent blocks that brine writes (by the sizes in their
// headers, or for bz2 by where the next stream starts), so the decoding
// pipeline can hand them to worker threads.
class block_splitter {
public:
    // Largest raw block the splitter accepts; bigger blocks (or blocks
    // without a declared size) are decoded by the streaming decoder, so no
    // allocation ever follows a size field alone beyond this.
    static constexpr std::uint64_t max_raw_size = 64u << 20;
    virtual ~block_splitter() = default;
    // At the current input position: the next block, or nullopt when what
    // follows is not a block this splitter can cut (another tool's stream,
    // end of input, garbage); the pipeline then decodes the rest as a
    // stream. Consumes the block, and any padding or index frames before it.
    virtual std::optional<split_block> next(buffered_input& in) = 0;
    // Decodes one block and verifies its checksum. Thread-safe. `out` comes
    // holding raw_size bytes to fill exactly when the size was declared;
    // otherwise empty (any capacity), to receive at most max_raw_size bytes.
    // Throws bad_data. Returns false, only for undeclared sizes, when the
    // block is not exactly one whole stream: the cut was a guess, and the
    // pipeline then decodes from the block's start by streaming, which
    // either succeeds or reports the damage as sequential decoding does.
    virtual bool decode(std::span<const std::byte> compressed, bytes& out) const = 0;
};

struct decoder_limits {
    unsigned threads = 1;
    // Decoder memory cap for codecs with declared window sizes (xz, lzma,
    // zstd). Generous for any file the CLIs make at their highest presets.
    static constexpr std::uint64_t memory_limit = 1u << 30;
    static constexpr int zstd_window_log_max = 27;  // 128 MiB, zstd's own default cap
};

// Where one block starts, compressed and raw, in a file brine wrote.
struct block_position {
    std::uint64_t compressed_offset = 0;
    std::uint64_t raw_offset = 0;
};
// A file's block index: the blocks in order, and the raw size of the whole.
struct block_index {
    std::vector<block_position> blocks;
    std::uint64_t raw_size = 0;
    // xz: the stream's check type (lzma_check), which its block headers do
    // not repeat but decoding from a block needs.
    std::uint32_t check = 0;
};

// One codec's entry points. Each codec file defines one of these.
struct backend {
    codec_id id;
    std::uint64_t default_block_size;
    std::string_view stream_unit;  // "member", "stream", "frame": for messages
    std::unique_ptr<block_encoder> (*make_encoder)(int level, std::uint64_t block_size);
    std::unique_ptr<stream_decoder> (*make_decoder)(const decoder_limits&);
    std::unique_ptr<block_splitter> (*make_splitter)(const decoder_limits&);  // nullptr: no parallel decoding
    // Reads the block index of a whole file through read_at(offset, bytes)
    // (which throws at end of file); nullopt when the file has none that
    // describes all of it. nullptr: the codec keeps no usable index.
    std::optional<block_index> (*read_index)(std::uint64_t file_size, const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at);
    // For codecs whose blocks are not whole streams (xz): a decoder that
    // starts at a block boundary of a file with that index, decodes block
    // after block and returns stream_end where the blocks end (xz: at the
    // stream's index). nullptr: make_decoder can start at any block.
    std::unique_ptr<stream_decoder> (*make_block_decoder)(const decoder_limits&, const block_index&);
    // For codecs whose make_encoder writes several streams (gzip members): an
    // encoder whose output is one stream, for encoder_settings::single_stream.
    // nullptr: make_encoder's output is one stream already, or must be several.
    std::unique_ptr<block_encoder> (*make_single_stream_encoder)(int level) = nullptr;
};

extern const backend zlib_backend, gzip_backend, bz2_backend, lzma_backend, xz_backend, lz4_backend,
    zstd_backend;
// The codec's magic number at the start of `prefix` (registry.cpp).
bool has_magic(codec_id id, std::span<const std::byte> prefix) noexcept;

// nullptr for codec_id::none and codecs this build lacks.
const backend* backend_for(codec_id id) noexcept;

// make_decoding_source() for a backend given directly, so that tests can pair
// a codec with a splitter of their own (decode_pipeline.cpp).
std::unique_ptr<io::source> make_decoding_source(const backend& codec, io::source& upstream, unsigned threads);

}  // namespace brine::codec
