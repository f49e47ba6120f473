// frozen_map::verify: everything open() does not check. The three section
// checksums; every entry parsed in file order (compressed values decoded);
// the superseded list; every index slot checked against its entry's key,
// its home slot and the hash order; and the index and the data holding the
// same set of live entries.
#include "store/frozen_map_state.hpp"

#include <brine/format/reader.hpp>
#include <brine/io/memory.hpp>
#include <brine/value/value.hpp>
#include <brine/types/value.hpp>

#include <algorithm>

#include <sys/mman.h>

namespace brine {

namespace L = store::layout;

namespace {

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64's finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

void frozen_map::verify() const {
    const auto& s = *state_;
    const auto& t = s.trailer;
    // Read ahead while verify walks the file in order; the default after.
    struct sequential {
        const detail::frozen_map_state& s;
        explicit sequential(const detail::frozen_map_state& st) : s(st) { s.advise(MADV_SEQUENTIAL); }
        ~sequential() { s.advise(MADV_NORMAL); }
    } reading(s);
    if (XXH3_64bits(s.base + L::header_size, t.data_end - L::header_size) != t.data_hash)
        s.corrupt(L::header_size, "the data section's checksum to match");
    for (std::uint64_t i = t.data_end; i < t.index_offset; ++i)
        if (s.base[i] != std::byte{0}) s.corrupt(i, "zero padding before the index");
    if (XXH3_64bits(s.slots, t.slot_count * L::slot_size) != t.index_hash) s.corrupt(t.index_offset, "the index checksum to match");
    if (XXH3_64bits(s.superseded, t.superseded_count * 8) != t.superseded_hash)
        s.corrupt(t.superseded_offset(), "the superseded list's checksum to match");
    for (std::uint64_t i = 1; i < t.superseded_count; ++i)
        if (s.superseded_at(i) <= s.superseded_at(i - 1)) s.corrupt(t.superseded_offset() + 8 * i, "superseded offsets in increasing order");

    // The data, in file order.
    std::uint64_t live = 0, live_sum = 0, dead = 0;
    for (std::uint64_t offset = L::header_size; offset < t.data_end;) {
        const auto e = s.entry_at(offset);
        const auto key = e.key.view();
        // Compressed values are decoded and parsed whole; raw ones are parsed by entry_end.
        if (e.flags & L::entry_compressed) (void)entry_at(offset, key).value();
        const auto end = s.entry_end(offset);
        if (dead < t.superseded_count && s.superseded_at(dead) < offset)
            s.corrupt(t.superseded_offset() + 8 * dead, "superseded offsets that are entry offsets");
        if (dead < t.superseded_count && s.superseded_at(dead) == offset) {
            ++dead;
        } else {
            ++live;
            live_sum += mix(offset);
        }
        offset = end;
    }
    if (dead != t.superseded_count) s.corrupt(t.superseded_offset() + 8 * dead, "superseded offsets that are entry offsets");
    if (live != t.entry_count)
        s.corrupt(s.offset_of(s.data_end), std::to_string(t.entry_count) + " live entries (the trailer's count), found " + std::to_string(live));

    // The index.
    std::uint64_t occupied = 0, index_sum = 0, previous_hash = 0;
    for (std::uint64_t i = 0; i < t.slot_count; ++i) {
        const auto* slot = s.slots + i * L::slot_size;
        const auto at = t.index_offset + i * L::slot_size;
        const auto hash = L::load_u64(slot), offset = L::load_u64(slot + 8);
        if (offset == 0) {
            if (hash != 0) s.corrupt(at, "an empty slot of zeros");
            continue;
        }
        const auto e = s.entry_at(offset);
        if (L::key_hash(e.key.view()) != hash) s.corrupt(at, "the slot's hash to be its key's hash");
        const auto home = L::home_slot(hash, t.home_slots);
        if (home > i) s.corrupt(at, "an entry at or after its home slot " + std::to_string(home));
        if (home < i && L::load_u64(slot - 8) == 0) s.corrupt(at, "no empty slot between an entry and its home slot");
        if (occupied && hash < previous_hash) s.corrupt(at, "slots in hash order");
        previous_hash = hash;
        ++occupied;
        index_sum += mix(offset);
    }
    if (occupied != t.entry_count || index_sum != live_sum)
        s.corrupt(t.index_offset, "an index holding exactly the live entries of the data section");
}

}  // namespace brine
