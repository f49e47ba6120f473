// One open segment file: positioned reads and writes, private mappings of a
// window (zero-copy unspill), truncation of a failed append, sync. Shared by
// pointer: a reader that took it keeps it open while compaction deletes it
// (the inode lives on until the last descriptor and mapping are gone).
#pragma once

#include "store/spill_segment.hpp"

#include <brine/io/source.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::store {

class segment_file {
public:
    // A new segment: created exclusively, header written.
    static std::shared_ptr<segment_file> create(const std::filesystem::path& dir, std::uint32_t id);
    // An existing one, for reading (and appending, when writable).
    static std::shared_ptr<segment_file> open(const std::filesystem::path& dir, std::uint32_t id, bool writable);
    ~segment_file();
    segment_file(const segment_file&) = delete;
    segment_file& operator=(const segment_file&) = delete;

    std::uint32_t id() const noexcept { return id_; }
    const std::filesystem::path& path() const noexcept { return path_; }
    std::string name() const { return path_.string(); }
    // Atomic: the appender moves it under its own lock while stats() and
    // the disk cap read it under the map's.
    std::uint64_t size() const noexcept { return size_.load(std::memory_order_relaxed); }
    void set_size(std::uint64_t s) noexcept { size_.store(s, std::memory_order_relaxed); }

    // Writes all of `bytes` at `offset`. Small appends gather in a buffer of
    // a few MiB (one system call for many small records) until
    // flush_pending(), which must run before anyone reads what was written.
    // A full disk (ENOSPC, EDQUOT, EFBIG) is a brine::capacity_error,
    // anything else a brine::io_error. Only the appender calls these.
    void write_at(std::uint64_t offset, std::span<const std::byte> bytes);
    void flush_pending();
    // flush_pending(), then gives the buffer's memory back: a sealed segment
    // takes no more appends, and its buffer would otherwise stay resident
    // (4 MiB a segment, outside the memory budget).
    void seal();
    void read_at(std::uint64_t offset, std::span<std::byte> dst) const;
    // [offset, offset + length) as a private (copy-on-write) mapping: writes
    // through it stay in the process. The data pointer keeps the file's
    // alignment (a 64-aligned offset gives a 64-aligned address).
    io::mapped_bytes map(std::uint64_t offset, std::uint64_t length) const;
    // The whole file, read-only (scanning).
    io::mapped_bytes map_all() const;
    void truncate(std::uint64_t length);
    void sync();
    void unlink() const;

private:
    void write_through(std::uint64_t offset, std::span<const std::byte> bytes) const;
    static constexpr std::size_t pending_capacity = 4 << 20;
    std::vector<std::byte> pending_;
    std::uint64_t pending_base_ = 0;
    segment_file(std::filesystem::path path, std::uint32_t id, int fd, std::uint64_t size);
    std::filesystem::path path_;
    std::uint32_t id_;
    int fd_;
    std::atomic<std::uint64_t> size_;
};

// The table of entries keeps only where records are; these read them back.
// A record that is not the one expected there, of `length` bytes for
// `key`, is a brine::corrupt_error naming the segment and offset.
//
// The record parsed from `prefix`, the bytes read at `offset`.
record_view expect_record(const segment_file& file, std::span<const std::byte> prefix, std::uint64_t offset, std::uint64_t length,
                          std::string_view key);
// Its header and key, read with one pread.
record_view read_record_header(const segment_file& file, std::uint64_t offset, std::uint64_t length, std::string_view key);

}  // namespace brine::store
