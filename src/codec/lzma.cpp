// lzma-alone (.lzma): a legacy single stream with no container, so brine
// writes it sequentially on the writer's thread (the blocks are just pieces
// of one lzma_alone_encoder stream) with an end marker and an unknown size.
// It has no checksum of its own.
#include "backend.hpp"
#include "liblzma_decoder.hpp"

#include <stdexcept>

namespace brine::codec {
namespace {

class alone_encoder final : public block_encoder {
public:
    explicit alone_encoder(int level) {
        lzma_options_lzma options{};
        if (lzma_lzma_preset(&options, static_cast<std::uint32_t>(level))) throw std::runtime_error("bad lzma preset");
        if (lzma_alone_encoder(&s_, &options) != LZMA_OK) throw std::bad_alloc();
    }
    ~alone_encoder() override { lzma_end(&s_); }

    bool independent_blocks() const override { return false; }

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        s_.next_in = reinterpret_cast<const std::uint8_t*>(raw.data());
        s_.avail_in = raw.size();
        pump(LZMA_RUN, out);
        return {};
    }

    void end(std::span<const block_summary>, bytes& out) override { pump(LZMA_FINISH, out); }

private:
    void pump(lzma_action action, bytes& out) {
        for (;;) {
            const std::size_t start = out.size();
            out.resize(start + (64 << 10) + s_.avail_in / 2);
            s_.next_out = reinterpret_cast<std::uint8_t*>(out.data() + start);
            s_.avail_out = out.size() - start;
            const lzma_ret rc = lzma_code(&s_, action);
            out.resize(out.size() - s_.avail_out);
            if (rc == LZMA_STREAM_END) return;
            if (rc != LZMA_OK) throw std::runtime_error("lzma encoder failed: " + std::to_string(rc));
            if (action == LZMA_RUN && s_.avail_in == 0) return;
        }
    }

    lzma_stream s_ = LZMA_STREAM_INIT;
};

}  // namespace

const backend lzma_backend{
    .id = codec_id::lzma,
    .default_block_size = 1 << 20,
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<alone_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) -> std::unique_ptr<stream_decoder> {
        return std::make_unique<liblzma_decoder>(
            [](lzma_stream* s) { return lzma_alone_decoder(s, decoder_limits::memory_limit); });
    },
    .make_splitter = nullptr,
    .read_index = nullptr,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
