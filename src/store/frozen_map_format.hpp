// Constants and small codecs of the frozen map file (docs/format.md,
// "Frozen map files" is the normative description): header, trailer, index
// slots, key records and the key hash. Shared by the builder, the reader
// and verify.
#pragma once

#include "format/constants.hpp"
#include "format/hasher.hpp"
#include "format/varint.hpp"
#include "model/byte_order.hpp"

#include <brine/store/frozen_key.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace brine::store::layout {

inline constexpr std::array<std::uint8_t, 8> magic = {0x89, 'B', 'R', 'M', '\r', '\n', 0x1a, '\n'};
inline constexpr std::array<std::uint8_t, 8> trailer_magic = {'B', 'R', 'M', 'A', 'P', 'E', 'N', 'D'};
inline constexpr std::uint16_t major_version = 1;
inline constexpr std::uint16_t minor_version = 0;
inline constexpr std::size_t header_size = 64;
inline constexpr std::uint32_t alignment = 64;
inline constexpr std::size_t trailer_size = 96;
inline constexpr std::size_t slot_size = 16;
// Home slots per key: a load factor of 0.8. The index is sorted by hash, so
// a miss usually stops at the first slot whatever the load.
inline constexpr std::uint64_t home_slots_per_100_keys = 125;

// Entry flags (the first byte of an entry).
inline constexpr std::uint8_t entry_compressed = 0x01;

// zstd cannot expand data more than this (an RLE block: 4 bytes for 128 KiB);
// a declared raw length above stored * this is corrupt, and is never allocated.
inline constexpr std::uint64_t max_zstd_ratio = 32768;

// Every integer of the layout is a little-endian u64 (model/byte_order.hpp).
inline std::uint64_t load_u64(const std::byte* p) noexcept { return detail::load_le<std::uint64_t>(p); }
inline void store_u64(std::byte* p, std::uint64_t v) noexcept { detail::store_le(p, v); }
inline std::uint64_t align_up(std::uint64_t v) noexcept { return (v + alignment - 1) / alignment * alignment; }

struct trailer {
    std::uint64_t entry_count = 0;       // live entries (= occupied slots)
    std::uint64_t data_end = 0;          // end of the entries; they start at header_size
    std::uint64_t index_offset = 0;      // align_up(data_end)
    std::uint64_t slot_count = 0;
    std::uint64_t home_slots = 0;        // home(hash) = (hash * home_slots) >> 64
    std::uint64_t superseded_count = 0;  // u64 entry offsets right after the index
    std::uint64_t data_hash = 0;         // xxh3 of [header_size, data_end)
    std::uint64_t index_hash = 0;        // xxh3 of the slots
    std::uint64_t superseded_hash = 0;   // xxh3 of the superseded offsets
    std::uint64_t flags = 0;             // 0 in 1.0

    static constexpr std::size_t fields = 10;
    std::array<std::byte, trailer_size> encode() const noexcept {
        std::array<std::byte, trailer_size> out{};
        const std::uint64_t v[fields] = {entry_count, data_end,   index_offset,    slot_count, home_slots,
                                         superseded_count, data_hash, index_hash, superseded_hash, flags};
        for (std::size_t i = 0; i < fields; ++i) store_u64(out.data() + 8 * i, v[i]);
        store_u64(out.data() + 80, XXH3_64bits(out.data(), 80));
        std::memcpy(out.data() + 88, trailer_magic.data(), 8);
        return out;
    }
    // Fields only; the caller checks the magic and the hash.
    static trailer decode(const std::byte* p) noexcept {
        trailer t;
        std::uint64_t* v[fields] = {&t.entry_count, &t.data_end,   &t.index_offset,    &t.slot_count, &t.home_slots,
                                    &t.superseded_count, &t.data_hash, &t.index_hash, &t.superseded_hash, &t.flags};
        for (std::size_t i = 0; i < fields; ++i) *v[i] = load_u64(p + 8 * i);
        return t;
    }
    std::uint64_t superseded_offset() const noexcept { return index_offset + slot_count * slot_size; }
};

inline std::array<std::byte, header_size> encode_header() noexcept {
    std::array<std::byte, header_size> h{};
    std::memcpy(h.data(), magic.data(), magic.size());
    h[8] = std::byte{major_version & 0xff};
    h[10] = std::byte{minor_version & 0xff};
    h[16] = std::byte{alignment & 0xff};
    return h;
}

__extension__ using uint128 = unsigned __int128;

inline std::uint64_t home_slot(std::uint64_t hash, std::uint64_t home_slots) noexcept {
    return static_cast<std::uint64_t>((static_cast<uint128>(hash) * home_slots) >> 64);
}

// Key records: the record kinds of format v1 (a string, bytes, or an int64 /
// uint64 scalar). The hash seeds keep "7", b"7" and 7 apart.
inline constexpr std::uint8_t tag_scalar = 0x02, tag_string = 0x03, tag_bytes = 0x04;
inline constexpr std::uint8_t dtype_int64 = 4, dtype_uint64 = 8;

inline std::uint64_t key_seed(frozen_key::kind k) noexcept {
    switch (k) {
    case frozen_key::kind::string: return tag_string;
    case frozen_key::kind::bytes: return tag_bytes;
    case frozen_key::kind::int64: return tag_scalar | (dtype_int64 << 8);
    case frozen_key::kind::uint64: return tag_scalar | (dtype_uint64 << 8);
    }
    return 0;
}

inline std::uint64_t key_hash(const frozen_key& k) noexcept {
    if (k.type() == frozen_key::kind::string || k.type() == frozen_key::kind::bytes)
        return XXH3_64bits_withSeed(k.data().data(), k.data().size(), key_seed(k.type()));
    std::byte le[8];
    store_u64(le, k.integer_bits());
    return XXH3_64bits_withSeed(le, 8, key_seed(k.type()));
}

// The longest key head: a tag and a varint length, or a scalar's 10 bytes.
inline constexpr std::size_t max_key_head = 1 + format::v1::max_varint_bytes;
static_assert(max_key_head >= 10);

// The bytes of a key record before its text or bytes (or all of it, for an
// integer): at most max_key_head.
inline std::size_t encode_key_head(const frozen_key& k, std::byte* out) noexcept {
    switch (k.type()) {
    case frozen_key::kind::string:
    case frozen_key::kind::bytes:
        out[0] = std::byte{k.type() == frozen_key::kind::string ? tag_string : tag_bytes};
        return 1 + format::put_varint(out + 1, k.data().size());
    case frozen_key::kind::int64:
    case frozen_key::kind::uint64:
        out[0] = std::byte{tag_scalar};
        out[1] = std::byte{k.type() == frozen_key::kind::int64 ? dtype_int64 : dtype_uint64};
        store_u64(out + 2, k.integer_bits());
        return 10;
    }
    return 0;
}

// A key record parsed in place from [p, end).
struct parsed_key {
    frozen_key::kind kind = frozen_key::kind::string;
    std::span<const std::byte> data;  // text or bytes
    std::uint64_t integer = 0;
    std::size_t length = 0;           // of the whole record
    frozen_key view() const noexcept {
        switch (kind) {
        case frozen_key::kind::string: return frozen_key(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
        case frozen_key::kind::bytes: return frozen_key(data);
        case frozen_key::kind::int64: return frozen_key(static_cast<std::int64_t>(integer));
        case frozen_key::kind::uint64: return frozen_key(integer);
        }
        return frozen_key(std::string_view{});
    }
};

// nullptr: a valid key record; else what was wrong.
inline const char* parse_key(const std::byte* p, const std::byte* end, parsed_key& out) noexcept {
    if (p >= end) return "a key record, found the end of the data section";
    const auto tag = static_cast<std::uint8_t>(*p);
    if (tag == tag_string || tag == tag_bytes) {
        const auto n = format::get_varint(p + 1, end);
        if (n.length == 0 || n.length == format::varint_malformed) return "a key length (varint)";
        const auto avail = static_cast<std::uint64_t>(end - (p + 1 + n.length));
        if (n.value > avail) return "key bytes within the data section";
        out.kind = tag == tag_string ? frozen_key::kind::string : frozen_key::kind::bytes;
        out.data = {p + 1 + n.length, static_cast<std::size_t>(n.value)};
        out.length = 1 + n.length + static_cast<std::size_t>(n.value);
        return nullptr;
    }
    if (tag == tag_scalar) {
        if (end - p < 10) return "an integer key record of 10 bytes";
        const auto dt = static_cast<std::uint8_t>(p[1]);
        if (dt != dtype_int64 && dt != dtype_uint64) return "an int64 or uint64 key";
        out.integer = load_u64(p + 2);
        // One key space for integers: a uint64 key that fits int64 is stored as int64.
        if (dt == dtype_uint64 && out.integer <= static_cast<std::uint64_t>(INT64_MAX)) return "a uint64 key above INT64_MAX";
        out.kind = dt == dtype_int64 ? frozen_key::kind::int64 : frozen_key::kind::uint64;
        out.data = {};
        out.length = 10;
        return nullptr;
    }
    return "a key record (tag 0x02, 0x03 or 0x04)";
}

inline bool same_key(const parsed_key& a, const frozen_key& b) noexcept {
    if (a.kind != b.type()) return false;
    if (a.kind == frozen_key::kind::int64 || a.kind == frozen_key::kind::uint64) return a.integer == b.integer_bits();
    return a.data.size() == b.data().size() && (a.data.empty() || std::memcmp(a.data.data(), b.data().data(), a.data.size()) == 0);
}

}  // namespace brine::store::layout
