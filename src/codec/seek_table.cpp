#include "seek_table.hpp"

#include "buffered_input.hpp"
#include "model/byte_order.hpp"

#include <brine/error.hpp>

#include <array>
#include <stdexcept>

namespace brine::codec {

using detail::load_le;
using detail::append_le;

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

std::optional<block_index> read_seek_table(std::uint64_t file_size,
                                           const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at) {
    std::array<std::byte, 9> footer{};
    if (file_size < 8 + footer.size()) return std::nullopt;
    read_at(file_size - footer.size(), footer);
    if (load_le<std::uint32_t>(std::span(footer).subspan(5)) != 0x8F92EAB1) return std::nullopt;
    const std::uint64_t count = load_le<std::uint32_t>(footer);
    const std::uint64_t entry_size = (std::to_integer<unsigned>(footer[4]) & 0x80) ? 12 : 8;
    const std::uint64_t table_size = count * entry_size + footer.size();
    if (8 + table_size > file_size) return std::nullopt;  // checked before allocating for the entries
    const std::uint64_t table_start = file_size - table_size - 8;
    bytes table(8 + table_size);
    read_at(table_start, table);
    if (load_le<std::uint32_t>(table) != 0x184D2A5E || load_le<std::uint32_t>(std::span(table).subspan(4)) != table_size)
        return std::nullopt;
    block_index index;
    index.blocks.reserve(count);
    std::uint64_t compressed = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto entry = std::span<const std::byte>(table).subspan(8 + i * entry_size);
        index.blocks.push_back({compressed, index.raw_size});
        compressed += load_le<std::uint32_t>(entry);
        index.raw_size += load_le<std::uint32_t>(entry.subspan(4));
    }
    if (compressed != table_start) return std::nullopt;  // the table does not describe this file
    return index;
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
