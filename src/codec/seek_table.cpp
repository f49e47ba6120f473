#include "seek_table.hpp"

#include "buffered_input.hpp"
#include "byte_order.hpp"

#include <brine/error.hpp>

#include <stdexcept>

namespace brine::codec {

void append_seek_table(std::span<const block_summary> blocks, bytes& out) {
    const std::uint64_t frame_size = blocks.size() * 8 + 9;
    if (frame_size > UINT32_MAX) throw std::length_error("too many blocks for a seek table");
    append_le<std::uint32_t>(out, 0x184D2A5E);
    append_le<std::uint32_t>(out, static_cast<std::uint32_t>(frame_size));
    for (const auto& b : blocks) {
        // Blocks are at most 1 GiB (encode_pipeline.cpp), so both sizes fit.
        append_le<std::uint32_t>(out, static_cast<std::uint32_t>(b.compressed_size));
        append_le<std::uint32_t>(out, static_cast<std::uint32_t>(b.raw_size));
    }
    append_le<std::uint32_t>(out, static_cast<std::uint32_t>(blocks.size()));
    out.push_back(std::byte{0});  // descriptor: no per-block checksums (the frames have their own)
    append_le<std::uint32_t>(out, 0x8F92EAB1);
}

bool is_skippable_frame(std::span<const std::byte> prefix) {
    return prefix.size() >= 4 && (load_le<std::uint32_t>(prefix) & 0xFFFFFFF0u) == 0x184D2A50u;
}

void skip_skippable_frames(buffered_input& in, std::string_view codec_name) {
    for (;;) {
        const auto p = in.peek(8);
        if (p.size() < 8 || !is_skippable_frame(p)) return;
        const std::uint64_t offset = in.offset();
        const std::uint64_t size = 8 + std::uint64_t{load_le<std::uint32_t>(p.subspan(4))};
        if (in.skip(size) < size)
            throw truncated_error({in.name(), offset}, std::string(codec_name) + ": input ends inside a skippable frame of " +
                                                           std::to_string(size) + " bytes (expected all of it)");
    }
}

}  // namespace brine::codec
