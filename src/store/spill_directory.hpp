// The directory of a spill store: where it is, who may write it (a lock
// file), whether it outlives the process (a marker file), and the cleanup of
// a store a crashed process left behind.
//
//   DIR/STORE  "brine spill store 1\npersist 0|1\n", written once the lock is held
//   DIR/LOCK   flock()ed by the one writer, holds its pid (for the message)
//   DIR/seg-XXXXXXXX.bss  segment files (spill_segment.hpp)
#pragma once

#include <brine/store/spill_options.hpp>

#include <filesystem>
#include <string>

namespace brine::store {

class spill_directory {
public:
    // Creates (or opens) and locks the directory. Throws brine::io_error when
    // another process writes it, and brine::error when it holds something
    // this open must not touch (a persistent store opened with persist = false).
    explicit spill_directory(const spill_options& options);
    // persist = false: removes the store's files, and the directory if empty.
    ~spill_directory();
    spill_directory(const spill_directory&) = delete;
    spill_directory& operator=(const spill_directory&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    bool persistent() const noexcept { return persist_; }
    bool read_only() const noexcept { return read_only_; }
    // Makes file creations and removals in the directory durable.
    void sync() const;

    // True when `dir` holds a spill store (its STORE marker).
    static bool holds_store(const std::filesystem::path& dir);

private:
    void lock();
    // Checks what the locked directory holds and marks it as this store's.
    void adopt();
    void remove_own_files() const;
    std::filesystem::path path_;
    bool persist_, read_only_;
    int lock_fd_ = -1;
};

}  // namespace brine::store
