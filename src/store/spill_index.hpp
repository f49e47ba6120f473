// The spill store's table of entries. It holds every key, spilled or not,
// so it is what a store of many small values costs beyond its budget: an
// entry that lives only on disk takes a 24-byte record, its key's bytes in
// an arena and its share of 8-byte slots in an open-addressing index
// (about 45 bytes for a short key, where a std::unordered_map node took
// 230). What only a value in memory needs (the value, its weight, its seq,
// its place in the eviction list) is a `resident` state, allocated while
// the value is in memory and given back when it leaves.
//
// Entries are named by a 32-bit id, stable while the entry lives; records
// and resident states sit in chunks that never move, so references to them
// stay valid across inserts. Not thread-safe: the store's mutex guards it.
#pragma once

#include <cstdint>
#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace brine::store {

using entry_id = std::uint32_t;
inline constexpr entry_id no_entry = ~entry_id{0};

// What the store can hold: a record offset below 8 TiB in its segment
// (offset / 8 in 40 bits, in a record of the table) and a seq below 2^63
// (so that the next one never wraps). The store checks both.
inline constexpr std::uint64_t max_record_offset = std::uint64_t{1} << 43;
inline constexpr std::uint64_t max_seq = std::uint64_t{1} << 63;

// Where an entry's record is: the segment (0: none, ids start at 1), the
// record's offset in it (a multiple of record_alignment), and its length.
struct disk_location {
    std::uint32_t segment = 0;
    std::uint64_t offset = 0, length = 0;
    explicit operator bool() const noexcept { return segment != 0; }
    friend bool operator==(const disk_location&, const disk_location&) = default;
};

// What an entry has while its value is in memory, or being written.
struct resident {
    std::shared_ptr<const void> value;
    std::uint64_t weight = 0;
    // The seq of the value: a job for the writer, or a write that raced
    // with another, is stale when the entry's value has another. An entry
    // only on disk needs none: its disk location names its record.
    std::uint64_t seq = 0;
    entry_id prev = no_entry, next = no_entry;
    bool linked = false;   // in the eviction list
    bool writing = false;  // queued for the writer
    bool touched = false;  // read while being written: stays resident
    // A record on disk may name the key although the value has no disk copy
    // (an older value's, or a write of a replaced value that was under way):
    // an erase then needs a tombstone.
    bool older_record = false;
};
static_assert(sizeof(resident) <= 48);

class spill_index {
public:
    spill_index();
    ~spill_index();
    spill_index(const spill_index&) = delete;
    spill_index& operator=(const spill_index&) = delete;

    std::size_t size() const noexcept { return count_; }
    entry_id find(std::string_view key) const noexcept;
    // The entry for `key`, added (nowhere, not resident) when absent; `added` says.
    entry_id insert(std::string_view key, bool& added);
    void erase(entry_id id);

    // Valid until the next erase (the arena may be compacted then).
    std::string_view key(entry_id id) const noexcept;

    // The disk copy of the entry's value (or the record naming its attached
    // file), resident or not; none when the value is only in memory.
    disk_location disk(entry_id id) const noexcept;
    // Throws limit_error for a segment offset past 8 TiB.
    void set_disk(entry_id id, const disk_location& where);

    resident* find_resident(entry_id id) noexcept;
    const resident* find_resident(entry_id id) const noexcept;
    // The resident state, made empty when absent.
    resident& make_resident(entry_id id);
    // Gives the resident state back.
    void drop_resident(entry_id id) noexcept;

    // Calls f(id) for every entry, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (entry_id id = 0; id < next_id_; ++id)
            if (record_at(id).key_length() != free_key) f(id);
    }

    // What the arena can hold: key offsets have 40 bits.
    static constexpr std::uint64_t max_arena_bytes = std::uint64_t{1} << 40;

private:
    static constexpr std::uint64_t free_key = (1u << 24) - 1;
    static constexpr std::uint32_t chunk_bits = 12;  // 4096 records a chunk

    // 24 bytes. A record longer than 16 MiB keeps its length in
    // long_lengths_ (such a value outweighs its map node many times).
    struct record {
        std::uint64_t key = free_key;         // arena offset (40 bits) << 24 | key length (24 bits; all ones: a free record)
        std::uint64_t offset_and_length = 0;  // offset / 8 (40 bits) << 24 | length (24 bits; all ones: long)
        std::uint32_t segment = 0;
        std::uint32_t resident = 0;  // index of the resident state + 1, or 0
        std::uint64_t key_offset() const noexcept { return key >> 24; }
        std::uint64_t key_length() const noexcept { return key & free_key; }
    };
    static_assert(sizeof(record) == 24);
    static constexpr std::uint64_t long_length = (1u << 24) - 1;

    // The index is split into sub-tables by hash bits that slots do not
    // keep; each grows on its own, by half, so a grow copies 1/64 of the
    // index (one whole index grown by doubling held the old and the new at
    // once: 8 MiB on top of 16 at 1 M entries) and slots are 58-88 % used
    // while the index grows (it never shrinks).
    static constexpr int table_bits = 6;
    struct table {
        // (hash's high 32 bits << 32) | (id + 1), 0 when empty. A key's home
        // slot is those 32 bits scaled to the size (tag * size >> 32), so
        // homes keep the order of tags at any size. Linear probing, with
        // wrap-around, deletion by backward shift (no tombstones).
        std::vector<std::uint64_t> slots = std::vector<std::uint64_t>(16, 0);
        std::size_t count = 0;
        std::size_t home(std::uint64_t slot_or_hash) const noexcept {
            return static_cast<std::size_t>((slot_or_hash >> 32) * slots.size() >> 32);
        }
        std::size_t next(std::size_t i) const noexcept { return i + 1 == slots.size() ? 0 : i + 1; }
        void grow();
    };

    record& record_at(entry_id id) noexcept { return records_[id >> chunk_bits][id & ((1u << chunk_bits) - 1)]; }
    const record& record_at(entry_id id) const noexcept { return records_[id >> chunk_bits][id & ((1u << chunk_bits) - 1)]; }
    resident& resident_at(std::uint32_t i) const noexcept;
    static std::uint64_t slot_hash(std::string_view key) noexcept;
    table& table_of(std::uint64_t hash) noexcept { return tables_[(hash >> 26) & ((1u << table_bits) - 1)]; }
    const table& table_of(std::uint64_t hash) const noexcept { return tables_[(hash >> 26) & ((1u << table_bits) - 1)]; }
    static std::uint64_t key_position(std::uint64_t end, std::uint64_t length) noexcept;
    std::size_t probe(const table& t, std::string_view key, std::uint64_t h) const noexcept;
    std::uint64_t store_key(std::string_view key);
    void compact_arena();

    std::vector<table> tables_;
    std::size_t count_ = 0;

    // Free records and resident states form lists threaded through
    // themselves (key's offset bits, prev): giving one back never allocates.
    std::vector<std::unique_ptr<record[]>> records_;
    entry_id next_id_ = 0, free_ids_ = no_entry;

    // Keys, back to back in chunks of 1 MiB; erased keys are garbage until
    // it outweighs the live keys, then the arena is rewritten.
    std::vector<std::unique_ptr<char[]>> arena_;
    std::uint64_t arena_end_ = 0, arena_garbage_ = 0;

    std::vector<std::unique_ptr<resident[]>> residents_;
    std::uint32_t next_resident_ = 0, free_residents_ = no_entry;
    std::unordered_map<entry_id, std::uint64_t> long_lengths_;  // records of 16 MiB or more
};

}  // namespace brine::store
