#include "store/spill_segment.hpp"
#include "model/byte_order.hpp"

#include "format/hasher.hpp"

#include <array>
#include <cstdio>
#include <cstring>

namespace brine::store {

namespace {

constexpr std::array<char, 8> segment_magic = {'B', 'R', 'S', 'P', 'I', 'L', 'L', '1'};
constexpr std::uint32_t record_magic = 0x52535242;  // "BRSR" little-endian
constexpr std::uint16_t segment_version = 1;


std::uint64_t header_hash(const std::byte* header, const char* key, std::size_t key_length) {
    format::hasher h;
    h.update(header, 48);
    h.update(reinterpret_cast<const std::byte*>(key), key_length);
    return h.digest();
}

bool valid_codec(std::uint8_t c) { return c <= static_cast<std::uint8_t>(codec_id::zstd); }

}  // namespace

std::array<std::byte, segment_header_size> encode_segment_header(std::uint32_t id) {
    std::array<std::byte, segment_header_size> b{};
    std::memcpy(b.data(), segment_magic.data(), 8);
    detail::store_le_n(b.data() + 8, segment_version, 2);
    detail::store_le_n(b.data() + 12, id, 4);
    detail::store_le_n(b.data() + 56, XXH3_64bits(b.data(), 56), 8);
    return b;
}

std::optional<std::string> check_segment_header(std::span<const std::byte> bytes, std::uint32_t id) {
    if (bytes.size() < segment_header_size) return "shorter than the 64-byte segment header";
    if (std::memcmp(bytes.data(), segment_magic.data(), 8) != 0) return "not a spill segment (expected the magic BRSPILL1)";
    if (detail::load_le_n(bytes.data() + 56, 8) != XXH3_64bits(bytes.data(), 56)) return "segment header checksum mismatch";
    if (detail::load_le_n(bytes.data() + 8, 2) != segment_version)
        return "unsupported segment version " + std::to_string(detail::load_le_n(bytes.data() + 8, 2));
    if (detail::load_le_n(bytes.data() + 12, 4) != id)
        return "segment header names segment " + std::to_string(detail::load_le_n(bytes.data() + 12, 4)) + ", expected " + std::to_string(id);
    return std::nullopt;
}

std::uint8_t value_padding(std::uint64_t offset, std::size_t key_length, bool aligned) {
    if (!aligned) return 0;
    const auto start = offset + record_header_size + key_length;
    return static_cast<std::uint8_t>((value_alignment - start % value_alignment) % value_alignment);
}

std::string encode_record_prefix(const record_header& h, std::string_view key) {
    std::string out(record_header_size + key.size() + h.value_pad, '\0');
    auto* p = reinterpret_cast<std::byte*>(out.data());
    detail::store_le_n(p, record_magic, 4);
    p[4] = static_cast<std::byte>(h.kind);
    p[5] = static_cast<std::byte>(h.codec);
    p[6] = static_cast<std::byte>(h.value_pad);
    p[7] = static_cast<std::byte>(h.filters);
    detail::store_le_n(p + 8, h.seq, 8);
    detail::store_le_n(p + 16, key.size(), 4);
    detail::store_le_n(p + 20, 0, 4);
    detail::store_le_n(p + 24, h.value_length, 8);
    detail::store_le_n(p + 32, h.raw_length, 8);
    detail::store_le_n(p + 40, h.value_hash, 8);
    std::memcpy(out.data() + record_header_size, key.data(), key.size());
    detail::store_le_n(p + 48, header_hash(p, key.data(), key.size()), 8);
    return out;
}

parse_result parse_record(std::span<const std::byte> segment, std::uint64_t offset) {
    if (offset > segment.size()) return parse_record_prefix({}, offset, segment.size());
    return parse_record_prefix(segment.subspan(static_cast<std::size_t>(offset)), offset, segment.size());
}

parse_result parse_record_prefix(std::span<const std::byte> prefix, std::uint64_t offset, std::uint64_t size) {
    if (offset > size || size - offset < record_header_size || prefix.size() < record_header_size)
        return {std::nullopt, "a record header of 56 bytes does not fit in the " + std::to_string(std::min(size - std::min(offset, size), std::uint64_t{prefix.size()})) + " bytes left"};
    const auto* p = prefix.data();
    if (detail::load_le_n(p, 4) != record_magic) return {std::nullopt, "no record magic BRSR"};
    record_view r;
    r.offset = offset;
    auto& h = r.header;
    const auto kind = std::to_integer<std::uint8_t>(p[4]);
    const auto codec = std::to_integer<std::uint8_t>(p[5]);
    h.value_pad = std::to_integer<std::uint8_t>(p[6]);
    h.filters = std::to_integer<std::uint8_t>(p[7]);
    h.seq = detail::load_le_n(p + 8, 8);
    h.key_length = static_cast<std::uint32_t>(detail::load_le_n(p + 16, 4));
    h.value_length = detail::load_le_n(p + 24, 8);
    h.raw_length = detail::load_le_n(p + 32, 8);
    h.value_hash = detail::load_le_n(p + 40, 8);
    if (h.key_length > max_key_length) return {std::nullopt, "key length " + std::to_string(h.key_length) + " above the limit of 65536"};
    const auto left = size - offset - record_header_size;
    if (h.key_length > left || h.key_length > prefix.size() - record_header_size) return {std::nullopt, "the key of " + std::to_string(h.key_length) + " bytes runs past the end of the segment"};
    const auto* key = reinterpret_cast<const char*>(p + record_header_size);
    if (detail::load_le_n(p + 48, 8) != header_hash(p, key, h.key_length)) return {std::nullopt, "record header checksum mismatch"};
    // Checked after the hash: a torn or random header is reported as such,
    // a consistent one with impossible fields as corrupt.
    if (kind < 1 || kind > 3) return {std::nullopt, "unknown record kind " + std::to_string(kind)};
    if (!valid_codec(codec)) return {std::nullopt, "unknown codec number " + std::to_string(codec)};
    if (h.filters & ~known_filters) return {std::nullopt, "unknown filter bits " + std::to_string(h.filters)};
    if (detail::load_le_n(p + 20, 4) != 0) return {std::nullopt, "reserved record bytes 20..23 are not zero"};
    h.kind = static_cast<record_kind>(kind);
    h.codec = static_cast<codec_id>(codec);
    if (h.value_pad >= value_alignment) return {std::nullopt, "value padding of " + std::to_string(h.value_pad) + " bytes (at most 63)"};
    const auto before_value = std::uint64_t(h.key_length) + h.value_pad;
    if (before_value > left || h.value_length > left - before_value)
        return {std::nullopt, "a value of " + std::to_string(h.value_length) + " bytes runs past the end of the segment"};
    if (h.kind == record_kind::erase && h.value_length != 0) return {std::nullopt, "an erase record with a value"};
    r.key.assign(key, h.key_length);
    r.value_offset = offset + record_header_size + before_value;
    r.end = r.value_offset + h.value_length;
    return {std::move(r), {}};
}

std::string segment_file_name(std::uint32_t id) {
    char name[32];
    std::snprintf(name, sizeof name, "seg-%08x.bss", id);
    return name;
}

std::optional<std::uint32_t> segment_id_from_name(const std::string& name) {
    unsigned id = 0;
    char tail[8] = {};
    if (name.size() != 16 || std::sscanf(name.c_str(), "seg-%8x.%3s", &id, tail) != 2 || std::string(tail) != "bss") return std::nullopt;
    if (name != segment_file_name(id)) return std::nullopt;
    return id;
}

}  // namespace brine::store
