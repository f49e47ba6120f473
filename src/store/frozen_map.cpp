// Opening a frozen map (O(1) checks of the header and trailer) and looking
// keys up: one hash, the home slot, then the entry to verify the key.
#include "store/frozen_map_state.hpp"
#include "model/byte_order.hpp"

#include "format/array_header.hpp"
#include "format/constants.hpp"
#include "format/scalar_body.hpp"

#include <brine/format/reader.hpp>
#include <brine/io/memory.hpp>

#include <zstd.h>

#include <cstring>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

namespace brine {

namespace L = store::layout;
using detail::frozen_map_state;

namespace {

load_options entry_options(load_options o) {
    // Values are used from the mapping: arrays are mapped, never copied.
    o.mmap = o.mmap == mmap_mode::copy_on_write ? mmap_mode::copy_on_write : mmap_mode::read_only;
    return o;
}

}  // namespace

// --- open ------------------------------------------------------------------------

namespace {

// Reads the header's and the trailer's pages with pread before they are
// mapped: on a cold cache a page fault would read 128 KiB around each, a
// pread reads the page. A hint only; the checks below use the mapping.
const std::filesystem::path& warm_ends(const std::filesystem::path& p) {
    try {
        io::file_source f(p);
        std::byte page[64];
        if (f.size() >= sizeof page) {
            f.read_at(0, page);
            f.read_at(f.size() - sizeof page, page);
        }
    } catch (const error&) {
        // mapped_file reports a missing or unreadable file
    }
    return p;
}

}  // namespace

frozen_map_state::frozen_map_state(const std::filesystem::path& p, const load_options& o)
    : file(warm_ends(p), o.mmap == mmap_mode::copy_on_write ? mmap_mode::copy_on_write : mmap_mode::read_only), name(p.string()),
      options(entry_options(o)) {
    const auto bytes = file.bytes().bytes;
    const std::uint64_t size = bytes.size();
    base = bytes.data();
    if (size < L::header_size || std::memcmp(base, L::magic.data(), L::magic.size()) != 0) {
        if (size >= 8 && std::memcmp(base, L::magic.data(), 8) == 0)
            throw truncated_error({name, size}, "a frozen map file of at least 160 bytes (64-byte header, 96-byte trailer)");
        throw format_error({name, 0}, "not a frozen map file (expected the magic bytes 89 42 52 4d 0d 0a 1a 0a)");
    }
    const auto u16 = [&](std::size_t at) { return unsigned{detail::load_le<std::uint16_t>(reinterpret_cast<const std::byte*>(base + at))}; };
    if (u16(8) != L::major_version)
        throw format_error({name, 8}, "unsupported frozen map version " + std::to_string(u16(8)) + "." + std::to_string(u16(10)) +
                                          " (this reader handles 1.x)");
    for (std::size_t i = 12; i < L::header_size; ++i)
        if (base[i] != (i == 16 ? std::byte{L::alignment} : std::byte{0}))
            throw format_error({name, i}, i < 16 ? "header flags 0 (unknown flags are set)" : "alignment 64 and zero reserved header bytes");
    if (size < L::header_size + L::trailer_size)
        throw truncated_error({name, size}, "a frozen map file of at least 160 bytes (64-byte header, 96-byte trailer)");
    const auto* tail = base + size - L::trailer_size;
    const auto at_tail = size - L::trailer_size;
    if (std::memcmp(tail + 88, L::trailer_magic.data(), 8) != 0)
        throw truncated_error({name, size}, "the trailer magic BRMAPEND in the last 8 bytes (the file is truncated or has trailing bytes)");
    if (o.verify_checksums && XXH3_64bits(tail, 80) != L::load_u64(tail + 80)) corrupt(at_tail + 80, "the trailer's checksum to match");
    trailer = L::trailer::decode(tail);
    const auto& t = trailer;
    if (t.flags != 0) corrupt(at_tail + 72, "trailer flags 0");
    if (t.data_end < L::header_size || t.data_end > at_tail) corrupt(at_tail + 8, "the end of the data within the file");
    if (t.index_offset != L::align_up(t.data_end) || t.index_offset > at_tail)
        corrupt(at_tail + 16, "the index at the first multiple of 64 after the data");
    if (t.slot_count > (at_tail - t.index_offset) / L::slot_size) corrupt(at_tail + 24, "the index within the file");
    const auto after_index = t.superseded_offset();
    if (t.superseded_count > (at_tail - after_index) / 8 || after_index + t.superseded_count * 8 != at_tail)
        corrupt(at_tail + 40, "the superseded list to end where the trailer starts");
    if (t.home_slots > t.slot_count || t.entry_count > t.slot_count || (t.entry_count > 0 && t.home_slots == 0))
        corrupt(at_tail, "entry, home slot and slot counts that fit together");
    data_end = base + t.data_end;
    slots = base + t.index_offset;
    superseded = base + after_index;
}

// The kernel's default read-around stays on for lookups: on a cold cache it
// brings neighbouring slots and entries in with each fault, which measured
// faster than MADV_RANDOM's one page per fault (docs/performance.md).
void frozen_map_state::advise(int advice) const noexcept {
    const auto bytes = file.bytes().bytes;
    if (!bytes.empty()) ::madvise(const_cast<std::byte*>(bytes.data()), bytes.size(), advice);
}

frozen_map_state::entry_parts frozen_map_state::entry_at(std::uint64_t offset) const {
    if (offset < L::header_size || offset >= trailer.data_end) corrupt(offset, "an entry offset within the data section");
    entry_parts e;
    e.flags = static_cast<std::uint8_t>(base[offset]);
    if (e.flags & ~L::entry_compressed) corrupt(offset, "entry flags 0 or 1");
    if (const char* bad = L::parse_key(base + offset + 1, data_end, e.key)) corrupt(offset + 1, bad);
    e.value_offset = offset + 1 + e.key.length;
    if (e.value_offset >= trailer.data_end) corrupt(e.value_offset, "a value record, found the end of the data section");
    return e;
}

frozen_map frozen_map::open(const std::filesystem::path& file, const load_options& options) {
    return frozen_map(std::make_shared<const frozen_map_state>(file, options));
}

std::uint64_t frozen_map::size() const noexcept { return state_->trailer.entry_count; }
const std::string& frozen_map::name() const noexcept { return state_->name; }
std::uint64_t frozen_map::file_size() const noexcept { return state_->file.bytes().bytes.size(); }

// --- lookups -----------------------------------------------------------------------

std::optional<std::uint64_t> frozen_map::locate(const frozen_key& key) const {
    const auto& s = *state_;
    const auto& t = s.trailer;
    if (t.home_slots == 0) return std::nullopt;
    const auto hash = L::key_hash(key);
    // Slots are in hash order: the scan ends at an empty slot or a larger hash.
    for (auto i = L::home_slot(hash, t.home_slots); i < t.slot_count; ++i) {
        const auto* slot = s.slots + i * L::slot_size;
        const auto offset = L::load_u64(slot + 8);
        if (offset == 0) return std::nullopt;
        const auto h = L::load_u64(slot);
        if (h > hash) return std::nullopt;
        if (h == hash && L::same_key(s.entry_at(offset).key, key)) return offset;
    }
    return std::nullopt;
}

bool frozen_map::contains(const frozen_key& key) const { return locate(key).has_value(); }

std::optional<frozen_record> frozen_map::find_record(const frozen_key& key) const {
    const auto offset = locate(key);
    if (!offset) return std::nullopt;
    const auto& s = *state_;
    const auto e = s.entry_at(*offset);
    const auto* p = s.base + e.value_offset;
    const auto value_kind = format::v1::value_kind_of_tag(static_cast<std::uint8_t>(*p));
    if (!value_kind) s.corrupt(e.value_offset, "a value record tag");
    const auto kind = *value_kind;
    const std::span<const std::byte> body(p + 1, s.data_end);
    const bool compressed = e.flags & L::entry_compressed;
    if (!compressed) {
        // Check what as_scalar / as_string / as_bytes will read.
        if (kind == node_kind::scalar) {
            if (!format::decode_scalar_body(body))
                s.corrupt(e.value_offset + 1, "a scalar record within the data section (a known dtype, its unit, its bytes; a bool 0 or 1)");
        } else if (kind == node_kind::string || kind == node_kind::bytes) {
            const auto n = format::get_varint(body.data(), body.data() + body.size());
            if (n.length == 0 || n.length == format::varint_malformed || n.value > body.size() - n.length)
                s.corrupt(e.value_offset + 1, "a string or bytes length within the data section");
        }
    }
    const bool bytearray = static_cast<std::uint8_t>(*p) == format::v1::bytearray_tag;
    return frozen_record(body, kind, compressed, bytearray, e.value_offset);
}

std::optional<scalar> frozen_record::as_scalar() const noexcept {
    if (kind_ != node_kind::scalar || compressed_) return std::nullopt;
    return format::decode_scalar_body(body_)->value;  // checked when the record was found
}

std::optional<std::string_view> frozen_record::as_string() const noexcept {
    if (kind_ != node_kind::string || compressed_) return std::nullopt;
    const auto n = format::get_varint(body_.data(), body_.data() + body_.size());
    return std::string_view(reinterpret_cast<const char*>(body_.data() + n.length), static_cast<std::size_t>(n.value));
}

std::optional<std::span<const std::byte>> frozen_record::as_bytes() const noexcept {
    if (kind_ != node_kind::bytes || compressed_) return std::nullopt;
    const auto n = format::get_varint(body_.data(), body_.data() + body_.size());
    return body_.subspan(n.length, static_cast<std::size_t>(n.value));
}

std::optional<frozen_map::mapped_array_parts> frozen_map::mapped_array(std::uint64_t entry_offset) const {
    const auto& s = *state_;
    const auto e = s.entry_at(entry_offset);
    if ((e.flags & L::entry_compressed) || static_cast<node_kind>(s.base[e.value_offset]) != node_kind::array) return std::nullopt;
    const auto at = e.value_offset + 1;
    auto h = format::decode_array_header({s.base + at, s.data_end});
    if (h.problem)
        s.corrupt(at + h.problem->at, (h.problem->truncated ? h.problem->what + " within the data section" : "a valid array header (" + h.problem->what + ")"));
    // The payload starts at the next multiple of 64, and its checksum follows it.
    const auto payload = L::align_up(at + h.header.length);
    const auto nbytes = h.header.nbytes;
    if (payload > s.trailer.data_end || s.trailer.data_end - payload < 8 || nbytes > s.trailer.data_end - payload - 8)
        s.corrupt(at + h.header.length, "an array payload of " + std::to_string(nbytes) + " bytes and its checksum within the data section");
    const bool writable = s.options.mmap == mmap_mode::copy_on_write;
    io::buffer data(s.file.bytes().owner, const_cast<std::byte*>(s.base + payload), static_cast<std::size_t>(nbytes), writable, true);
    return mapped_array_parts{std::move(h.header.meta), std::move(data)};
}

// --- entries -------------------------------------------------------------------------

entry frozen_map::entry_at(std::uint64_t entry_offset, const frozen_key& key) const {
    const auto& s = *state_;
    const auto e = s.entry_at(entry_offset);
    std::string path = "map[" + key.describe() + "]";
    if (!(e.flags & L::entry_compressed)) return entry::over_record(s.file.bytes(), e.value_offset, s.name, std::move(path), s.options);

    // u8 tag, varint raw length, varint stored length, one zstd frame. The
    // decoded record is laid out as if it were stored raw at value_offset (its
    // tag's offset), so it goes at that offset modulo 64 in a 64-byte aligned
    // buffer: its arrays come out aligned.
    const auto* p = s.base + e.value_offset + 1;
    const auto raw = format::get_varint(p, s.data_end);
    if (raw.length == 0 || raw.length == format::varint_malformed) s.corrupt(e.value_offset + 1, "the raw length of a compressed value");
    const auto stored = format::get_varint(p + raw.length, s.data_end);
    if (stored.length == 0 || stored.length == format::varint_malformed ||
        stored.value > static_cast<std::uint64_t>(s.data_end - (p + raw.length + stored.length)))
        s.corrupt(e.value_offset + 1 + raw.length, "the stored length of a compressed value within the data section");
    const auto* frame = p + raw.length + stored.length;
    if (raw.value == 0 || raw.value / L::max_zstd_ratio > stored.value)
        s.corrupt(e.value_offset + 1, "a raw length that zstd can produce from " + std::to_string(stored.value) + " bytes");
    const auto content = ZSTD_getFrameContentSize(frame, static_cast<std::size_t>(stored.value));
    if (content != raw.value) s.corrupt(s.offset_of(frame), "a zstd frame declaring " + std::to_string(raw.value) + " bytes");
    const auto shift = static_cast<std::size_t>(e.value_offset % L::alignment);
    const auto total = shift + static_cast<std::size_t>(raw.value);
    std::shared_ptr<std::byte> buf(static_cast<std::byte*>(::operator new(total, std::align_val_t{L::alignment})),
                                   [](std::byte* q) { ::operator delete(q, std::align_val_t{L::alignment}); });
    std::memset(buf.get(), 0, shift);
    const auto n = ZSTD_decompress(buf.get() + shift, static_cast<std::size_t>(raw.value), frame, static_cast<std::size_t>(stored.value));
    if (ZSTD_isError(n) || n != raw.value)
        s.corrupt(s.offset_of(frame), std::string("a valid zstd frame (") + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short") + ")");
    if (buf.get()[shift] != *(p - 1)) s.corrupt(e.value_offset, "the compressed value's tag to match its decoded record");
    io::mapped_bytes decoded{std::shared_ptr<const void>(buf, buf.get()), {buf.get(), total}};
    return entry::over_record(std::move(decoded), shift,
                              s.name + " (zstd value at offset " + std::to_string(e.value_offset) + ")", std::move(path), s.options);
}

std::optional<entry> frozen_map::find(const frozen_key& key) const {
    const auto offset = locate(key);
    if (!offset) return std::nullopt;
    return entry_at(*offset, key);
}

entry frozen_map::at(const frozen_key& key) const {
    if (auto e = find(key)) return std::move(*e);
    throw error({name(), std::nullopt}, "no key " + key.describe() + " in the frozen map");
}

// --- iteration -------------------------------------------------------------------------

frozen_map::iterator::iterator(const frozen_map* map, std::uint64_t offset, std::uint64_t dead)
    : map_(map), offset_(offset), dead_(dead) {
    skip_superseded();
}

frozen_map::iterator frozen_map::begin() const { return iterator(this, L::header_size, 0); }
frozen_map::iterator frozen_map::end() const {
    iterator it;
    it.map_ = this;
    it.offset_ = state_->trailer.data_end;
    return it;
}

std::uint64_t frozen_map_state::entry_end(std::uint64_t offset) const {
    const auto& s = *this;
    const auto e = s.entry_at(offset);
    if (e.flags & L::entry_compressed) {
        const auto* p = s.base + e.value_offset + 1;
        const auto raw = format::get_varint(p, s.data_end);
        if (raw.length == 0 || raw.length == format::varint_malformed) s.corrupt(e.value_offset + 1, "the raw length of a compressed value");
        const auto stored = format::get_varint(p + raw.length, s.data_end);
        const auto* frame = p + raw.length + stored.length;
        if (stored.length == 0 || stored.length == format::varint_malformed || stored.value > static_cast<std::uint64_t>(s.data_end - frame))
            s.corrupt(e.value_offset + 1 + raw.length, "the stored length of a compressed value within the data section");
        return s.offset_of(frame) + stored.value;
    }
    io::memory_source in(io::mapped_bytes{s.file.bytes().owner, {s.base, s.data_end}}, s.name);
    in.skip(e.value_offset);
    format::reader r(in, s.options, {e.value_offset, "map[" + e.key.view().describe() + "]"});
    r.skip_value();
    return r.offset();
}

void frozen_map::iterator::skip_superseded() {
    const auto& s = *map_->state_;
    const auto& t = s.trailer;
    while (offset_ < t.data_end && dead_ < t.superseded_count) {
        const auto next_dead = s.superseded_at(dead_);
        if (next_dead < offset_) {
            ++dead_;
            continue;
        }
        if (next_dead != offset_) break;
        ++dead_;
        offset_ = s.entry_end(offset_);
    }
}

frozen_map::iterator& frozen_map::iterator::operator++() {
    offset_ = map_->state_->entry_end(offset_);
    skip_superseded();
    return *this;
}

frozen_map::iterator::value_type frozen_map::iterator::operator*() const {
    const auto e = map_->state_->entry_at(offset_);
    const auto key = e.key.view();
    return {key.to_owned(), map_->entry_at(offset_, key)};
}

}  // namespace brine
