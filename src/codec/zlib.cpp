// zlib (.z): a zlib stream cannot be concatenated, so brine uses pigz's
// technique (deflate::chained_block_encoder) to still compress blocks in
// parallel. The trailer is an empty final block (03 00) and the Adler-32 of
// everything, combined from the blocks' own. The result is one ordinary zlib
// stream; it decodes sequentially (blocks depend on history). Reading also
// takes joblib < 0.10's Z-file container (joblib_zfile.hpp).
#include "backend.hpp"
#include "model/byte_order.hpp"
#include "deflate_engine.hpp"
#include "joblib_zfile.hpp"

namespace brine::codec {

using detail::append_be;
using detail::append_bytes;
namespace {

class zlib_encoder final : public deflate::chained_block_encoder {
public:
    explicit zlib_encoder(int level) : chained_block_encoder(level, check_kind::adler32) {}

    void begin(bytes& out) override {
        // CMF: deflate with a 32 KiB window. FLG: FLEVEL as zlib sets it, then
        // FCHECK so that CMF * 256 + FLG is a multiple of 31.
        const unsigned cmf = 0x78;
        const unsigned flevel = level_ <= 1 ? 0 : level_ <= 5 ? 1 : level_ == 6 ? 2 : 3;
        unsigned flg = flevel << 6;
        flg += 31 - (cmf * 256 + flg) % 31;
        append_bytes(out, {static_cast<std::uint8_t>(cmf), static_cast<std::uint8_t>(flg)});
    }

    void end(std::span<const block_summary> blocks, bytes& out) override {
        append_be<std::uint32_t>(out, end_deflate(blocks, out));
    }
};

}  // namespace

const backend zlib_backend{
    .id = codec_id::zlib,
    .default_block_size = 1 << 20,
    .stream_unit = "stream",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<zlib_encoder>(level);
    },
    // Also reads joblib < 0.10's Z-files, a zlib stream behind a length header.
    .make_decoder = [](const decoder_limits&) { return make_zlib_or_zfile_decoder(); },
    .make_splitter = nullptr,
    .read_index = nullptr,
    .make_block_decoder = nullptr,
};

}  // namespace brine::codec
