// gzip: one member per block. Every member brine writes carries an extra
// field (RFC 1952 FEXTRA, subfield "BR", like BGZF's "BC") with the member's
// compressed size and its raw size, so readers can hop from member to member
// and decode them in parallel without inflating anything; gzip ignores it.
// A header CRC (FHCRC) protects those sizes; the trailer's CRC-32 and ISIZE
// protect the data.
//
//   1f 8b 08 06 | mtime 0 | xfl 0 | os ff | xlen 12 | 'B' 'R' 8 0 |
//   member size (u32 le, all of it) | raw size (u32 le) | crc16 (u16 le) |
//   deflate | crc32 | isize
#include "fuzzing.hpp"
#include "backend.hpp"

#include <array>
#include "buffered_input.hpp"
#include "model/byte_order.hpp"
#include "deflate_engine.hpp"

namespace brine::codec {

using detail::load_le;
using detail::store_le;
using detail::append_le;
using detail::append_bytes;
namespace {

constexpr std::size_t header_size = 26, trailer_size = 8;
constexpr std::size_t header_crc_at = 24;  // CRC16 = low half of the CRC-32 of the bytes before it

class gzip_encoder final : public block_encoder {
public:
    explicit gzip_encoder(int level) : level_(level) {}

    block_summary compress_block(std::span<const std::byte> raw, std::span<const std::byte>, bytes& out) override {
        const std::size_t start = out.size();
        append_bytes(out, {0x1f, 0x8b, 8, 0x06, 0, 0, 0, 0, 0, 0xff, 12, 0, 'B', 'R', 8, 0});
        append_le<std::uint32_t>(out, 0);  // member size, patched below
        append_le<std::uint32_t>(out, static_cast<std::uint32_t>(raw.size()));
        append_le<std::uint16_t>(out, 0);  // header CRC, patched below
        deflate::compress(raw, {}, level_, true, out);
        append_le<std::uint32_t>(out, deflate::crc32(raw));
        append_le<std::uint32_t>(out, static_cast<std::uint32_t>(raw.size()));  // ISIZE is mod 2^32 by definition
        const std::uint64_t member_size = out.size() - start;
        // A member larger than the field can say gets 0: "unknown", decoded by streaming.
        store_le<std::uint32_t>(std::span(out).subspan(start + 16),
                                member_size <= UINT32_MAX && raw.size() <= UINT32_MAX ? static_cast<std::uint32_t>(member_size) : 0);
        const auto header = std::span(out).subspan(start, header_size);
        store_le<std::uint16_t>(header.subspan(header_crc_at),
                                static_cast<std::uint16_t>(deflate::crc32(header.first(header_crc_at))));
        return {.compressed_size = member_size};
    }

private:
    int level_;
};

// One member for the whole file (encoder_settings::single_stream), for
// readers that stop after the first member (joblib): a plain RFC 1952 header,
// blocks chained as pigz does, then the combined CRC-32 and ISIZE. No BR
// field (the member's sizes are unknown when its header is written), so
// brine decodes it by streaming, like any other tool's gzip file.
class single_member_gzip_encoder final : public deflate::chained_block_encoder {
public:
    explicit single_member_gzip_encoder(int level) : chained_block_encoder(level, check_kind::crc32) {}

    void begin(bytes& out) override { append_bytes(out, {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}); }

    void end(std::span<const block_summary> blocks, bytes& out) override {
        std::uint64_t raw_size = 0;
        for (const auto& b : blocks) raw_size += b.raw_size;
        append_le<std::uint32_t>(out, end_deflate(blocks, out));
        append_le<std::uint32_t>(out, static_cast<std::uint32_t>(raw_size));  // ISIZE is mod 2^32
    }
};

struct member_sizes {
    std::uint64_t member_size, raw_size;
};

// The sizes in a member header that brine wrote, when they are intact and
// plausible; nullopt for any other member.
std::optional<member_sizes> parse_member_header(std::span<const std::byte> h) {
    if (h.size() < header_size) return std::nullopt;
    static constexpr std::uint8_t expected[] = {0x1f, 0x8b, 8, 0x06};
    for (std::size_t i = 0; i < 4; ++i)
        if (std::to_integer<std::uint8_t>(h[i]) != expected[i]) return std::nullopt;
    if (load_le<std::uint16_t>(h.subspan(10)) != 12 || h[12] != std::byte{'B'} || h[13] != std::byte{'R'} ||
        load_le<std::uint16_t>(h.subspan(14)) != 8)
        return std::nullopt;
    if (load_le<std::uint16_t>(h.subspan(header_crc_at)) !=
        static_cast<std::uint16_t>(deflate::crc32(h.first(header_crc_at))))
        return std::nullopt;  // the streaming decoder will report it
    const std::uint64_t member_size = load_le<std::uint32_t>(h.subspan(16));
    const std::uint64_t raw_size = load_le<std::uint32_t>(h.subspan(20));
    // Sizes a deflate encoder can produce for raw_size bytes, and within the cap.
    if (raw_size > block_splitter::max_raw_size || member_size < header_size + trailer_size + 2 ||
        member_size > header_size + trailer_size + raw_size + raw_size / 64 + 4096)
        return std::nullopt;
    return member_sizes{member_size, raw_size};
}

class gzip_splitter final : public block_splitter {
public:
    std::optional<split_block> next(buffered_input& in) override {
        const auto sizes = parse_member_header(in.peek(header_size));
        if (!sizes) return std::nullopt;
        const auto [member_size, raw_size] = *sizes;
        split_block b{.compressed = {}, .raw_size = raw_size};
        b.compressed.reserve(member_size);
        in.append_exactly(b.compressed, member_size, "gzip member");
        return b;
    }

    bool decode(std::span<const std::byte> member, bytes& out) const override {
        deflate::decompress_exact(member.subspan(header_size, member.size() - header_size - trailer_size), out);
        const auto trailer = member.last(trailer_size);
        if (checksums_enforced() && load_le<std::uint32_t>(trailer) != deflate::crc32(out))
            throw bad_data{"CRC-32 mismatch", "the CRC-32 stored in the member trailer"};
        if (load_le<std::uint32_t>(trailer.subspan(4)) != static_cast<std::uint32_t>(out.size()))
            throw bad_data{"ISIZE mismatch", "ISIZE equal to the member's raw size"};
        return true;
    }
};

// Hops from member header to member header: one small read per block.
std::optional<block_index> read_member_index(std::uint64_t file_size,
                                             const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at) {
    block_index index;
    std::array<std::byte, header_size> header{};
    std::uint64_t offset = 0;
    while (offset < file_size) {
        if (file_size - offset < header_size) return std::nullopt;
        read_at(offset, header);
        const auto sizes = parse_member_header(header);
        if (!sizes) return std::nullopt;  // another tool's member: no index for this file
        index.blocks.push_back({offset, index.raw_size});
        offset += sizes->member_size;
        index.raw_size += sizes->raw_size;
    }
    if (offset != file_size) return std::nullopt;
    return index;
}

}  // namespace

const backend gzip_backend{
    .id = codec_id::gzip,
    .default_block_size = 1 << 20,
    .stream_unit = "member",
    .make_encoder = [](int level, std::uint64_t) -> std::unique_ptr<block_encoder> {
        return std::make_unique<gzip_encoder>(level);
    },
    .make_decoder = [](const decoder_limits&) { return deflate::make_inflater(15 + 16); },
    .make_splitter = [](const decoder_limits&) -> std::unique_ptr<block_splitter> {
        return std::make_unique<gzip_splitter>();
    },
    .read_index = read_member_index,
    .make_block_decoder = nullptr,
    .make_single_stream_encoder = [](int level) -> std::unique_ptr<block_encoder> {
        return std::make_unique<single_member_gzip_encoder>(level);
    },
};

}  // namespace brine::codec
