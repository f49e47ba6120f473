// The decompressing source. Two ways to decode:
//  - streaming: one stream_decoder fed from a buffered_input, for any file of
//    the codec (other tools' single streams, concatenations);
//  - split: the codec's block_splitter cuts the blocks that brine wrote out
//    of the input (by their declared sizes, or for bz2 at the next stream
//    start), workers decode them, and the results are read in order. At the
//    first thing the splitter does not recognize, and at the first guessed
//    block that is not one whole stream, the rest of the input is decoded by
//    streaming.
// For random access, a third: a codec's block decoder from a block boundary
// inside a stream (xz), to the end of the stream's blocks.
// Both report bad data as brine::corrupt_error and early end as
// brine::truncated_error, with the compressed offset and the stream number.
#include "backend.hpp"
#include "buffered_input.hpp"
#include "factory.hpp"
#include "ordered_work.hpp"

#include <brine/codec/codec.hpp>
#include <brine/error.hpp>

#include <algorithm>
#include <cstring>

namespace brine::codec {
namespace {

std::string describe(const backend& codec, std::uint64_t stream_number) {
    return std::string(info(codec.id).name) + " " + std::string(codec.stream_unit) + " " +
           std::to_string(stream_number);
}

// Decodes the input stream after stream with a stream_decoder.
class stream_reader {
public:
    // `streams_before`: streams already decoded by someone else (the splitter).
    stream_reader(const backend& codec, buffered_input& in, const decoder_limits& limits, std::uint64_t streams_before)
        : codec_(codec), in_(in), decoder_(codec.make_decoder(limits)), streams_done_(streams_before) {}
    // From a block boundary with the codec's block decoder: no magic number
    // first, and the input ends where the blocks do (what follows, the
    // stream's index, was read by read_index already).
    stream_reader(const backend& codec, buffered_input& in, std::unique_ptr<stream_decoder> blocks)
        : codec_(codec), in_(in), decoder_(std::move(blocks)), streams_done_(0), inside_stream_(true) {}

    std::size_t read(std::span<std::byte> dst) {
        std::span<std::byte> out = dst;
        while (!out.empty() && !finished_) {
            if (between_streams_ && !start_next_stream()) break;
            decode_some(out);
        }
        return dst.size() - out.size();
    }

private:
    // After a stream (or at the start): end of input, another stream, or garbage.
    bool start_next_stream() {
        if (inside_stream_) {  // one run of blocks, then the end
            if (started_) {
                finished_ = true;
                return false;
            }
            started_ = true;
            between_streams_ = false;
            return true;
        }
        const auto prefix = in_.peek(magic_bytes);
        if (prefix.empty()) {
            if (streams_done_ == 0)
                throw truncated_error({in_.name(), in_.offset()},
                                      std::string(info(codec_.id).name) + ": empty input (expected a " +
                                          std::string(info(codec_.id).name) + " " + std::string(codec_.stream_unit) + ")");
            finished_ = true;
            return false;
        }
        if (!has_magic(codec_.id, prefix) && !decoder_->starts_extra_frame(prefix)) {
            const std::string name(info(codec_.id).name);
            throw corrupt_error({in_.name(), in_.offset()},
                                streams_done_ == 0
                                    ? name + ": not a " + name + " file (expected its magic number)"
                                    : name + ": unexpected bytes after " + describe(codec_, streams_done_) +
                                          " (expected another " + name + " " + std::string(codec_.stream_unit) +
                                          " or the end of the file)");
        }
        if (started_) decoder_->restart();
        started_ = true;
        between_streams_ = false;
        return true;
    }

    void decode_some(std::span<std::byte>& out) {
        std::span<const std::byte> in = in_.available();
        const bool ended = in.empty();
        const std::size_t in_before = in.size(), out_before = out.size();
        decode_status status;
        try {
            status = decoder_->decode(in, out, ended);
        } catch (const bad_data& e) {
            throw corrupt_error({in_.name(), in_.offset()}, std::string(info(codec_.id).name) + ": " + e.problem +
                                                                " in " + describe(codec_, streams_done_ + 1) +
                                                                " (expected " + e.expected + ")");
        }
        const std::size_t consumed = in_before - in.size();
        in_.consume(consumed);
        if (status == decode_status::stream_end) {
            ++streams_done_;
            between_streams_ = true;
            return;
        }
        if (consumed == 0 && out.size() == out_before) {
            // No progress: the decoder wants more input than is buffered.
            if (ended || !in_.refill())
                throw truncated_error({in_.name(), in_.offset()},
                                      std::string(info(codec_.id).name) + ": input ends inside " +
                                          describe(codec_, streams_done_ + 1) + " (expected more compressed data)");
        }
    }

    const backend& codec_;
    buffered_input& in_;
    std::unique_ptr<stream_decoder> decoder_;
    std::uint64_t streams_done_;
    bool between_streams_ = true, started_ = false, finished_ = false, inside_stream_ = false;
};

// The most bytes one compressed byte can decode to, per codec: a bound set by
// the format itself, not by anything a file claims. It lets the reader trust
// (and allocate) declared sizes up to what the compressed bytes left could
// possibly produce, so a small hostile file cannot make it allocate much,
// while a genuine large array is allocated once, exactly.
//   deflate: a 258-byte match costs at least 2 bits: 1032:1.
//   zstd: a block of at most 128 KiB needs at least 4 bytes (RLE): 32768:1.
//   lz4: each extra byte of match length adds at most 255 bytes: 256:1.
//   lzma/xz: no bound here: liblzma's multi-threaded decoder reads ahead and
//     holds whole decoded blocks, so the compressed bytes left say little.
//   bz2: run-length stages can reach millions to one: no useful bound.
std::optional<std::uint64_t> max_expansion(codec_id id) {
    switch (id) {
    case codec_id::zlib: case codec_id::gzip: return 1032;
    case codec_id::zstd: return 32768;
    case codec_id::lz4: return 256;
    default: return std::nullopt;
    }
}

// Decoded bytes a decoder may hold before handing them out, on top of what
// the compressed bytes left can make: an lz4 frame buffers up to one 4 MiB
// block; the others at most a block of their own (zstd: 128 KiB).
std::uint64_t decoder_slack(codec_id id) { return id == codec_id::lz4 ? (4u << 20) + (64u << 10) : 1u << 20; }

std::optional<std::uint64_t> decodable_bound(codec_id id, const buffered_input& in, std::uint64_t already_decoded) {
    const auto ratio = max_expansion(id);
    const auto left = in.remaining();
    const auto slack = decoder_slack(id) + already_decoded;
    if (!ratio || !left || *left > (UINT64_MAX - slack) / *ratio) return std::nullopt;
    return *left * *ratio + slack;
}

class streaming_source final : public io::source {
public:
    streaming_source(const backend& codec, io::source& upstream, const decoder_limits& limits, std::uint64_t offset = 0)
        : upstream_(upstream), in_(upstream, offset), reader_(codec, in_, limits, 0), id_(codec.id) {}
    streaming_source(const backend& codec, io::source& upstream, std::uint64_t offset,
                     std::unique_ptr<stream_decoder> blocks)
        : upstream_(upstream), in_(upstream, offset), reader_(codec, in_, std::move(blocks)), id_(codec.id) {}
    std::size_t read(std::span<std::byte> dst) override { return reader_.read(dst); }
    std::optional<std::uint64_t> remaining() const override { return decodable_bound(id_, in_, 0); }
    std::optional<std::uint64_t> input_left() const override { return in_.remaining(); }
    std::string name() const override { return upstream_.name(); }

private:
    io::source& upstream_;
    buffered_input in_;
    stream_reader reader_;
    codec_id id_;
};

struct decoded_block {
    bytes raw;
    bytes compressed;          // given back: streamed instead when !whole
    std::uint64_t bound = 0;   // what the block counts in in_flight_
    bool whole = true;
};

class split_source final : public io::source {
public:
    split_source(const backend& codec, io::source& upstream, const decoder_limits& limits)
        : codec_(codec), upstream_(upstream), limits_(limits), in_(upstream),
          splitter_(codec.make_splitter(limits)), work_(limits.threads) {}

    std::size_t read(std::span<std::byte> dst) override {
        std::size_t done = 0;
        while (done < dst.size()) {
            if (pos_ == current_.size()) {
                if (!next_block()) break;
                continue;
            }
            const std::size_t n = std::min(dst.size() - done, current_.size() - pos_);
            std::memcpy(dst.data() + done, current_.data() + pos_, n);
            pos_ += n;
            done += n;
        }
        if (done < dst.size() && streaming_) done += streaming_->read(dst.subspan(done));
        return done;
    }

    // Decoded bytes at hand and in flight (their sizes are the index's, which
    // the splitter bounded, or that bound itself), plus what the compressed
    // bytes left can make.
    std::optional<std::uint64_t> remaining() const override {
        return decodable_bound(codec_.id, in_, (current_.size() - pos_) + in_flight_);
    }
    std::optional<std::uint64_t> input_left() const override { return in_.remaining(); }
    std::string name() const override { return upstream_.name(); }

private:
    // Keeps threads + 1 blocks in flight; false when the split part is over.
    bool next_block() {
        while (!streaming_ && work_.pending() <= limits_.threads) {
            const std::uint64_t offset = in_.offset();
            auto block = splitter_->next(in_);
            if (!block) {
                // What follows is for the streaming decoder (or nothing, which it checks).
                if (!(in_.at_end() && blocks_split_ > 0))
                    streaming_.emplace(codec_, in_, limits_, blocks_split_);
                break;
            }
            ++blocks_split_;
            const std::uint64_t bound = block->raw_size.value_or(block_splitter::max_raw_size);
            in_flight_ += bound;
            decoded_block d{.raw = pool_.take(block->raw_size.value_or(0)), .compressed = {}, .bound = bound};
            work_.submit([this, block = std::move(*block), d = std::move(d), offset, number = blocks_split_,
                          file = in_.name()]() mutable {
                if (block.raw_size) d.raw.resize(*block.raw_size);
                try {
                    d.whole = splitter_->decode(block.compressed, d.raw);
                } catch (const bad_data& e) {
                    throw corrupt_error({file, offset}, std::string(info(codec_.id).name) + ": " + e.problem +
                                                                  " in " + describe(codec_, number) + " (expected " +
                                                                  e.expected + ")");
                }
                d.compressed = std::move(block.compressed);
                return std::move(d);
            });
        }
        if (work_.pending() == 0) return false;
        pool_.give(std::move(current_));
        current_.clear();
        pos_ = 0;
        decoded_block d = work_.next();
        in_flight_ -= d.bound;
        if (!d.whole) {
            stream_from(std::move(d.compressed));
            return false;
        }
        ++blocks_read_;
        current_ = std::move(d.raw);
        return true;
    }

    // A guessed block that is not one whole stream (a false stream start in
    // the data, or damage): puts it and the blocks cut after it back in
    // front of the input, and streams from there, which decodes them or
    // reports the damage just as sequential decoding does.
    void stream_from(bytes compressed) {
        while (work_.pending() > 0) {
            const decoded_block later = work_.next();
            compressed.insert(compressed.end(), later.compressed.begin(), later.compressed.end());
        }
        in_flight_ = 0;
        in_.unread(compressed);
        streaming_.emplace(codec_, in_, limits_, blocks_read_);
    }

    const backend& codec_;
    io::source& upstream_;
    decoder_limits limits_;
    buffered_input in_;
    std::unique_ptr<block_splitter> splitter_;
    std::optional<stream_reader> streaming_;
    std::uint64_t blocks_split_ = 0, blocks_read_ = 0, in_flight_ = 0;
    buffer_pool pool_;
    bytes current_;
    std::size_t pos_ = 0;
    ordered_work<decoded_block> work_;  // last: workers stop first
};

class pass_through_source final : public io::source {
public:
    explicit pass_through_source(io::source& upstream) : upstream_(upstream) {}
    std::size_t read(std::span<std::byte> dst) override { return upstream_.read(dst); }
    std::uint64_t skip(std::uint64_t n) override { return upstream_.skip(n); }
    std::optional<std::uint64_t> remaining() const override { return upstream_.remaining(); }
    std::optional<std::uint64_t> input_left() const override { return upstream_.input_left(); }
    const io::mapped_bytes* mapping() const override { return upstream_.mapping(); }
    std::string name() const override { return upstream_.name(); }

private:
    io::source& upstream_;
};

const backend& backend_of(codec_id id, const io::source& upstream) {
    const backend* codec = backend_for(id);
    if (!codec)  // every codec is built in: only an id outside codec_id gets here
        throw unsupported_error({upstream.name(), std::nullopt}, "unknown codec id " + std::to_string(static_cast<int>(id)));
    return *codec;
}

}  // namespace

std::unique_ptr<io::source> make_decoding_source(codec_id id, io::source& upstream, const decoder_settings& s) {
    if (id == codec_id::none) return std::make_unique<pass_through_source>(upstream);
    return make_decoding_source(backend_of(id, upstream), upstream, s.threads);
}

std::unique_ptr<io::source> make_decoding_source(const backend& codec, io::source& upstream, unsigned threads) {
    const decoder_limits limits{.threads = std::max(1u, threads)};
    if (codec.make_splitter && limits.threads > 1) return std::make_unique<split_source>(codec, upstream, limits);
    return std::make_unique<streaming_source>(codec, upstream, limits);
}

std::unique_ptr<io::source> make_block_decoding_source(codec_id id, io::source& upstream, std::uint64_t offset,
                                                       const block_index& index) {
    const backend& codec = backend_of(id, upstream);
    const decoder_limits limits{.threads = 1};
    if (codec.make_block_decoder)
        return std::make_unique<streaming_source>(codec, upstream, offset, codec.make_block_decoder(limits, index));
    return std::make_unique<streaming_source>(codec, upstream, limits, offset);
}

}  // namespace brine::codec
