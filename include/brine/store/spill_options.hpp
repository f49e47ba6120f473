// The knobs and the counters of brine::spill_map (brine/store/spill_map.hpp).
#pragma once

#include <brine/options.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace brine {

// Which resident value leaves memory first when the budget is full.
enum class eviction : std::uint8_t {
    lru,  // least recently used (the default): working sets stay in memory
    mru,  // most recently used: a scan larger than memory keeps its head resident
};

// Encryption of spilled values in the age format (spill_options::encryption).
// Every stored value is then a complete age file under one header per store,
// whose file key wraps for the recipients or the passphrase below.
struct spill_encryption {
    // persist = false: leave everything empty. The key is made fresh for the
    // map and held only in its memory, so what it spilled cannot be read
    // once the process is gone.
    //
    // persist = true: a new store's key is wrapped for these recipients
    // ("age1...") or this passphrase (age's scrypt stanza, alone), or for the
    // identities' own recipients when neither is given; an existing store
    // opens with one of the identities ("AGE-SECRET-KEY-1...", an identity
    // file's text or path) or the passphrase.
    std::vector<std::string> recipients{};
    std::vector<std::string> identities{};
    std::string passphrase{};
    // log2 of scrypt's N when a passphrase wraps a new store's key (18 is
    // age's default), and the most accepted when opening one.
    int work_factor = 18;
    int max_work_factor = 20;
};

struct spill_options {
    // Bytes of values kept in memory (by weight, see spill_map). 0 sends
    // every value straight to disk.
    std::uint64_t memory_limit = 1ull << 30;
    // Bytes of segment files on disk, dead space included.
    std::uint64_t disk_limit = std::numeric_limits<std::uint64_t>::max();
    // Where the segment files go. Empty: a private directory under $TMPDIR
    // (or /tmp), removed on destruction (persist must then be false).
    std::filesystem::path directory = {};
    // Codec of spilled values; paid only on spill and unspill.
    codec_id codec = codec_id::none;
    eviction policy = eviction::lru;
    // true: the directory outlives the map and a later spill_map on it sees
    // every entry flushed before. false: the map's files are removed on
    // destruction, and those of a crashed one on the next open.
    bool persist = false;

    // --- beyond the contract ---
    // Open an existing persistent store for reading only, without its lock,
    // alongside the process that writes it. Inserts and erases throw.
    bool read_only = false;
    // Codec level; nullopt is the codec's default.
    std::optional<int> level = {};
    // Bytes of values waiting for the background writer; a caller blocks only
    // when it is full. 0: min(memory_limit / 8, 64 MiB). Values in the queue
    // are still in memory and counted in memory_bytes.
    std::uint64_t queue_bytes = 0;
    // A segment file is closed and a new one started past this size. 0:
    // min(64 MiB, max(1 MiB, disk_limit / 8)).
    std::uint64_t segment_bytes = 0;
    // Encrypt every spilled value (age, ChaCha20-Poly1305): see
    // spill_encryption. Encrypted values are decrypted into memory on
    // unspill rather than mapped. nullopt: stored as they are, unless the
    // persistent store was created encrypted (then opening it without keys
    // is a brine::unsupported_error).
    std::optional<spill_encryption> encryption = {};
};

struct spill_stats {
    std::uint64_t memory_bytes = 0;       // weight of the values the map holds in memory (queue included)
    std::uint64_t disk_bytes = 0;         // bytes of segment files, dead space included
    std::uint64_t entries_in_memory = 0;  // entries whose value is resident
    std::uint64_t entries_on_disk = 0;    // the other entries: only on disk (or in an attached file)
    std::uint64_t hits = 0;               // get() served from memory
    std::uint64_t misses = 0;             // get() that had to read a file
    std::uint64_t spills = 0;             // values written to a segment
    std::uint64_t unspills = 0;           // values read back from a segment
    std::uint64_t bytes_written = 0;      // bytes appended to segments (compaction included)
    std::uint64_t bytes_read = 0;         // bytes read or mapped from segments and attached files
    // --- beyond the contract ---
    std::uint64_t held_bytes = 0;         // weight of values out of the map but still held by callers (not in memory_bytes)
    std::uint64_t held_entries = 0;
    std::uint64_t disk_live_bytes = 0;    // the part of disk_bytes that current entries use
    std::uint64_t compactions = 0;        // segments rewritten to reclaim dead space
};

// One entry as the store sees it, for listings (spill_map::entries()).
struct spill_entry_info {
    std::string key;
    // In memory: its weight. On disk: its serialized size, the default
    // weight (a custom weight is known only once the value is loaded).
    // 0 for an attached file not in memory.
    std::uint64_t weight = 0;
    bool in_memory = false;
    std::uint64_t stored_bytes = 0;  // of its disk copy, 0 if none
    codec_id codec = codec_id::none; // of its disk copy
    std::filesystem::path attached;  // the file, for attached entries
};

}  // namespace brine
