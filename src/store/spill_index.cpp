#include "store/spill_index.hpp"

#include <brine/error.hpp>

#include <xxhash.h>

#include <cstring>
#include <string>

namespace brine::store {

namespace {

constexpr std::uint64_t arena_chunk = 1 << 20;  // a key is at most 65536 bytes: it never straddles chunks
constexpr std::uint32_t resident_chunk_bits = 10;

}  // namespace

spill_index::spill_index() : tables_(std::size_t{1} << table_bits) {}
spill_index::~spill_index() = default;

std::uint64_t spill_index::slot_hash(std::string_view key) noexcept { return XXH3_64bits(key.data(), key.size()); }

// The slot of `t` holding `key`, or the empty slot where it would go. A
// key's home comes from the high 32 bits of its hash, the part a slot
// keeps: moving slots (erase, grow) never reads a key again.
std::size_t spill_index::probe(const table& t, std::string_view key, std::uint64_t h) const noexcept {
    const std::uint64_t tag = h >> 32 << 32;
    for (std::size_t i = t.home(h);; i = t.next(i)) {
        const auto s = t.slots[i];
        if (s == 0) return i;
        if ((s & ~0xffffffffull) == tag && this->key(static_cast<entry_id>((s & 0xffffffffull) - 1)) == key) return i;
    }
}

entry_id spill_index::find(std::string_view key) const noexcept {
    const auto h = slot_hash(key);
    const auto& t = table_of(h);
    const auto s = t.slots[probe(t, key, h)];
    return s ? static_cast<entry_id>((s & 0xffffffffull) - 1) : no_entry;
}

entry_id spill_index::insert(std::string_view key, bool& added) {
    const auto h = slot_hash(key);
    auto& t = table_of(h);
    auto i = probe(t, key, h);
    if (t.slots[i]) {
        added = false;
        return static_cast<entry_id>((t.slots[i] & 0xffffffffull) - 1);
    }
    // At most 7/8 full: linear probing stays short.
    if ((t.count + 1) * 8 > t.slots.size() * 7) {
        t.grow();
        i = probe(t, key, h);
    }
    if (key.size() >= free_key) throw limit_error({"<spill store>", std::nullopt}, "a key of 16 MiB or more");
    const auto offset = store_key(key);
    entry_id id;
    if (free_ids_ != no_entry) {
        id = free_ids_;
        free_ids_ = static_cast<entry_id>(record_at(id).key_offset());
    } else {
        if (next_id_ == no_entry - 1) throw limit_error({"<spill store>", std::nullopt}, "more than 4294967293 entries");
        if ((next_id_ >> chunk_bits) == records_.size()) {
            records_.reserve(records_.size() + 1);
            records_.push_back(std::make_unique<record[]>(1u << chunk_bits));
        }
        id = next_id_++;
    }
    auto& r = record_at(id);
    r = record{};
    r.key = offset << 24 | key.size();
    t.slots[i] = (h >> 32 << 32) | (std::uint64_t{id} + 1);
    ++t.count;
    ++count_;
    added = true;
    return id;
}

void spill_index::erase(entry_id id) {
    drop_resident(id);
    long_lengths_.erase(id);
    auto& r = record_at(id);
    const auto k = key(id);
    const auto h = slot_hash(k);
    auto& t = table_of(h);
    // Backward-shift deletion: later members of the probe run move up so
    // that every key stays reachable from its home slot without tombstones.
    std::size_t hole = probe(t, k, h);
    for (std::size_t j = t.next(hole); t.slots[j]; j = t.next(j)) {
        const std::size_t home = t.home(t.slots[j]);
        // Move j into the hole unless its home lies cyclically in (hole, j].
        const bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            t.slots[hole] = t.slots[j];
            hole = j;
        }
    }
    t.slots[hole] = 0;
    --t.count;
    --count_;
    arena_garbage_ += r.key_length();
    r = record{};
    r.key = std::uint64_t{free_ids_} << 24 | free_key;
    free_ids_ = id;
    if (arena_garbage_ > (4u << 20) && arena_garbage_ * 2 > arena_end_) compact_arena();
}

void spill_index::table::grow() {
    // Homes come from 32 bits of hash: 2^32 slots at most a table (3.7 G
    // entries in each of 64; ids run out first).
    const auto size = std::min<std::size_t>(slots.size() + slots.size() / 2, std::size_t{1} << 32);
    if (size == slots.size()) throw limit_error({"<spill store>", std::nullopt}, "more than 3758096384 entries in one part of the index");
    std::vector<std::uint64_t> old(size, 0);
    old.swap(slots);
    for (const auto s : old) {
        if (!s) continue;
        auto i = home(s);
        while (slots[i]) i = next(i);
        slots[i] = s;
    }
}

std::uint64_t spill_index::store_key(std::string_view key) {
    const auto at = key_position(arena_end_, key.size());
    if (at + key.size() > max_arena_bytes) throw limit_error({"<spill store>", std::nullopt}, "more than 1 TiB of keys");
    if (at / arena_chunk == arena_.size()) {
        arena_.reserve(arena_.size() + 1);
        arena_.push_back(std::make_unique_for_overwrite<char[]>(arena_chunk));
    }
    if (!key.empty()) std::memcpy(arena_[at / arena_chunk].get() + at % arena_chunk, key.data(), key.size());
    arena_end_ = at + key.size();
    return at;
}

// Where a key of `length` bytes goes in an arena that ends at `end`.
std::uint64_t spill_index::key_position(std::uint64_t end, std::uint64_t length) noexcept {
    return end % arena_chunk + length > arena_chunk ? (end / arena_chunk + 1) * arena_chunk : end;
}

// Copies the live keys to a fresh arena, in id order. Every chunk is
// allocated before anything moves: a failed allocation leaves the arena as
// it was.
void spill_index::compact_arena() {
    std::uint64_t end = 0;
    for (entry_id id = 0; id < next_id_; ++id)
        if (const auto& r = record_at(id); r.key_length() != free_key) end = key_position(end, r.key_length()) + r.key_length();
    std::vector<std::unique_ptr<char[]>> fresh((end + arena_chunk - 1) / arena_chunk);
    for (auto& c : fresh) c = std::make_unique_for_overwrite<char[]>(arena_chunk);
    end = 0;
    for (entry_id id = 0; id < next_id_; ++id) {
        auto& r = record_at(id);
        const auto length = r.key_length();
        if (length == free_key) continue;
        const auto at = key_position(end, length);
        if (length) std::memcpy(fresh[at / arena_chunk].get() + at % arena_chunk, key(id).data(), length);
        r.key = at << 24 | length;
        end = at + length;
    }
    arena_ = std::move(fresh);
    arena_end_ = end;
    arena_garbage_ = 0;
}

std::string_view spill_index::key(entry_id id) const noexcept {
    const auto& r = record_at(id);
    const auto at = r.key_offset();
    return {arena_[at / arena_chunk].get() + at % arena_chunk, static_cast<std::size_t>(r.key_length())};
}

disk_location spill_index::disk(entry_id id) const noexcept {
    const auto& r = record_at(id);
    if (!r.segment) return {};
    std::uint64_t length = r.offset_and_length & long_length;
    if (length == long_length) length = long_lengths_.at(id);
    return {r.segment, (r.offset_and_length >> 24) * 8, length};
}

void spill_index::set_disk(entry_id id, const disk_location& where) {
    auto& r = record_at(id);
    if (where.segment && (where.offset % 8 != 0 || where.offset >= max_record_offset))
        throw limit_error({"<spill store>", where.offset}, "a record at an offset of 8 TiB or more in a segment (or not a multiple of 8)");
    const bool long_now = where.segment && where.length >= long_length;
    if (long_now) long_lengths_[id] = where.length;  // first: the only step that can fail
    else if ((r.offset_and_length & long_length) == long_length) long_lengths_.erase(id);
    r.segment = where.segment;
    r.offset_and_length = where.segment ? (where.offset / 8) << 24 | (long_now ? long_length : where.length) : 0;
}

resident& spill_index::resident_at(std::uint32_t i) const noexcept {
    return residents_[i >> resident_chunk_bits][i & ((1u << resident_chunk_bits) - 1)];
}

resident* spill_index::find_resident(entry_id id) noexcept {
    const auto i = record_at(id).resident;
    return i ? &resident_at(i - 1) : nullptr;
}
const resident* spill_index::find_resident(entry_id id) const noexcept { return const_cast<spill_index*>(this)->find_resident(id); }

resident& spill_index::make_resident(entry_id id) {
    if (auto* r = find_resident(id)) return *r;
    std::uint32_t i;
    if (free_residents_ != no_entry) {
        i = free_residents_;
        free_residents_ = resident_at(i).prev;
        resident_at(i).prev = no_entry;
    } else {
        if ((next_resident_ >> resident_chunk_bits) == residents_.size())
            residents_.push_back(std::make_unique<resident[]>(1u << resident_chunk_bits));
        i = next_resident_++;
    }
    record_at(id).resident = i + 1;
    return resident_at(i);
}

void spill_index::drop_resident(entry_id id) noexcept {
    const auto i = record_at(id).resident;
    if (!i) return;
    auto& r = resident_at(i - 1);
    r = resident{};
    r.prev = free_residents_;
    free_residents_ = i - 1;
    record_at(id).resident = 0;
}

}  // namespace brine::store
