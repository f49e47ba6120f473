// The compressing sink: cuts what is written into blocks of block_size bytes,
// compresses them on `threads` workers and writes them downstream in order.
// Memory: at most threads + 1 blocks are in flight, each holding its raw
// bytes and its compressed bytes, so the working set is about
// 2 x (threads + 1) x block_size plus the codecs' own state.
#include "backend.hpp"
#include "factory.hpp"
#include "ordered_work.hpp"

#include <brine/codec/codec.hpp>
#include <brine/error.hpp>

#include <algorithm>
#include <cstring>

namespace brine::codec {
namespace {

struct compressed_block {
    bytes raw;  // handed back to the pool
    bytes compressed;
    block_summary summary;
};

class encoding_sink final : public io::sink {
public:
    encoding_sink(io::sink& downstream, const backend& codec, const encoder_settings& s)
        : downstream_(downstream),
          // At most 1 GiB: sizes in gzip headers and seek tables are 32-bit.
          block_size_(std::min<std::uint64_t>(s.block_size ? s.block_size : codec.default_block_size, 1u << 30)),
          encoder_(s.single_stream && codec.make_single_stream_encoder ? codec.make_single_stream_encoder(s.level)
                                                                       : codec.make_encoder(s.level, block_size_)),
          threads_(encoder_->independent_blocks() ? std::max(1u, s.threads) : 1u),
          work_(threads_) {
        bytes header;
        encoder_->begin(header);
        downstream_.write(header);
        current_ = pool_.take(block_size_);
    }

    void write(std::span<const std::byte> data) override {
        while (!data.empty()) {
            const std::size_t n = std::min<std::size_t>(data.size(), block_size_ - current_.size());
            current_.insert(current_.end(), data.begin(), data.begin() + n);
            data = data.subspan(n);
            if (current_.size() == block_size_) dispatch();
        }
    }

    void finish() override {
        if (finished_) return;
        // Always at least one block: an empty gzip file is not a gzip file.
        if (!current_.empty() || blocks_dispatched_ == 0) dispatch();
        while (work_.pending() > 0) write_oldest();
        bytes trailer;
        encoder_->end(summaries_, trailer);
        downstream_.write(trailer);
        finished_ = true;
        downstream_.finish();
    }

    std::string name() const override { return downstream_.name(); }

private:
    void dispatch() {
        // Writes first, so that no more than threads + 1 blocks are in flight.
        while (work_.pending() > threads_) write_oldest();
        bytes history;
        if (const std::size_t h = encoder_->history_size()) {
            history = history_;
            const std::size_t keep = std::min(h, current_.size());
            // The history of the next block is the last h bytes before it.
            if (keep == h) history_.assign(current_.end() - h, current_.end());
            else {
                history_.insert(history_.end(), current_.begin(), current_.end());
                if (history_.size() > h) history_.erase(history_.begin(), history_.end() - h);
            }
        }
        compressed_block block{.raw = std::move(current_), .compressed = pool_.take(block_size_ + block_size_ / 8), .summary = {}};
        current_ = pool_.take(block_size_);
        ++blocks_dispatched_;
        block_encoder* encoder = encoder_.get();
        work_.submit([encoder, block = std::move(block), history = std::move(history)]() mutable {
            block.summary = encoder->compress_block(block.raw, history, block.compressed);
            block.summary.raw_size = block.raw.size();
            return std::move(block);
        });
    }

    void write_oldest() {
        compressed_block b = work_.next();
        downstream_.write(b.compressed);
        summaries_.push_back(b.summary);
        pool_.give(std::move(b.raw));
        pool_.give(std::move(b.compressed));
    }

    io::sink& downstream_;
    std::uint64_t block_size_;
    std::unique_ptr<block_encoder> encoder_;
    unsigned threads_;
    buffer_pool pool_;
    bytes current_, history_;
    std::vector<block_summary> summaries_;
    std::uint64_t blocks_dispatched_ = 0;
    bool finished_ = false;
    ordered_work<compressed_block> work_;  // last: its workers stop before the rest goes
};

class pass_through_sink final : public io::sink {
public:
    explicit pass_through_sink(io::sink& downstream) : downstream_(downstream) {}
    void write(std::span<const std::byte> data) override { downstream_.write(data); }
    void finish() override { downstream_.finish(); }
    std::string name() const override { return downstream_.name(); }

private:
    io::sink& downstream_;
};

}  // namespace

std::unique_ptr<io::sink> make_encoding_sink(io::sink& downstream, const encoder_settings& s) {
    if (s.id == codec_id::none) return std::make_unique<pass_through_sink>(downstream);
    const backend* codec = backend_for(s.id);
    if (!codec)  // every codec is built in: only an id outside codec_id gets here
        throw unsupported_error({downstream.name(), std::nullopt}, "unknown codec id " + std::to_string(static_cast<int>(s.id)));
    const codec_info& ci = info(s.id);
    if (s.level < ci.min_level || s.level > ci.max_level)
        throw unsupported_error({downstream.name(), std::nullopt},
                                std::string(ci.name) + " level " + std::to_string(s.level) + " is outside " +
                                    std::to_string(ci.min_level) + ".." + std::to_string(ci.max_level));
    return std::make_unique<encoding_sink>(downstream, *codec, s);
}

}  // namespace brine::codec
