// The streaming decoder shared by xz and lzma-alone: both are an lzma_stream
// that differ only in how it is initialized.
#pragma once

#include "backend.hpp"

#include <lzma.h>

#include <functional>
#include <new>
#include <stdexcept>

namespace brine::codec {

class liblzma_decoder final : public stream_decoder {
public:
    using initializer = std::function<lzma_ret(lzma_stream*)>;

    explicit liblzma_decoder(initializer init) : init_(std::move(init)) { start(); }
    ~liblzma_decoder() override { lzma_end(&s_); }

    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool input_ended) override {
        s_.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
        s_.avail_in = in.size();
        s_.next_out = reinterpret_cast<std::uint8_t*>(out.data());
        s_.avail_out = out.size();
        // LZMA_FINISH at the end of input turns a truncated stream into LZMA_BUF_ERROR.
        const lzma_ret rc = lzma_code(&s_, input_ended ? LZMA_FINISH : LZMA_RUN);
        in = in.subspan(in.size() - s_.avail_in);
        out = out.subspan(out.size() - s_.avail_out);
        switch (rc) {
        case LZMA_STREAM_END: return decode_status::stream_end;
        case LZMA_OK:
        case LZMA_BUF_ERROR: return decode_status::more;  // no progress: the caller decides
        case LZMA_MEM_ERROR: throw std::bad_alloc();
        case LZMA_MEMLIMIT_ERROR:
            throw bad_data{"the stream needs more decoder memory than the 1 GiB limit", "a smaller dictionary"};
        case LZMA_FORMAT_ERROR: throw bad_data{"unrecognized header", "a valid stream header"};
        case LZMA_OPTIONS_ERROR: throw bad_data{"unsupported options", "filters and options liblzma supports"};
        default: throw bad_data{"corrupt data or checksum mismatch", "valid data with matching integrity checks"};
        }
    }

    void restart() override {
        lzma_end(&s_);
        start();
    }

private:
    void start() {
        s_ = LZMA_STREAM_INIT;
        if (init_(&s_) != LZMA_OK) throw std::bad_alloc();
    }

    initializer init_;
    lzma_stream s_ = LZMA_STREAM_INIT;
};

}  // namespace brine::codec
