// Files: a source that reads with read(2) and knows its size, a sink that
// replaces its target atomically, and read-only / read-write / private
// mappings for mmap loading.
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace brine::io {

class file_source final : public source {
public:
    explicit file_source(const std::filesystem::path& path);
    ~file_source() override;
    file_source(const file_source&) = delete;
    file_source& operator=(const file_source&) = delete;

    std::size_t read(std::span<std::byte> dst) override;
    std::uint64_t skip(std::uint64_t n) override;
    std::optional<std::uint64_t> remaining() const override { return size_ - pos_; }
    std::optional<std::uint64_t> input_left() const override { return remaining(); }
    std::string name() const override { return name_; }
    std::uint64_t size() const noexcept { return size_; }
    // Reads exactly dst.size() bytes at `offset`, independent of the read position.
    void read_at(std::uint64_t offset, std::span<std::byte> dst) const;
    void seek(std::uint64_t offset);
    std::uint64_t position() const noexcept { return pos_; }

private:
    int fd_ = -1;
    std::uint64_t size_ = 0, pos_ = 0;
    std::string name_;
};

// Writes to "<target>.tmp-XXXXXX" in the target's directory; finish() fsyncs
// (when durable), renames it over the target and fsyncs the directory (when
// durable). Destroyed without finish() (an exception, a failed write), it
// removes the temporary and the previous target stays as it was.
class atomic_file_sink final : public sink {
public:
    explicit atomic_file_sink(const std::filesystem::path& target, bool durable = true);
    ~atomic_file_sink() override;
    atomic_file_sink(const atomic_file_sink&) = delete;
    atomic_file_sink& operator=(const atomic_file_sink&) = delete;

    void write(std::span<const std::byte> bytes) override;
    void finish() override;
    std::string name() const override { return target_.string(); }
    // For a writer that reads back what it wrote before finishing (the
    // frozen map builder compares keys): push buffered bytes to the
    // temporary file, which can then be opened for reading by its path.
    void flush() { flush_buffer(); }
    const std::filesystem::path& temporary_path() const noexcept { return temp_; }

private:
    void flush_buffer();
    void write_through(std::span<const std::byte> bytes);
    std::filesystem::path target_, temp_;
    int fd_ = -1;
    bool durable_;
    std::vector<std::byte> buffer_;
    std::uint64_t written_ = 0, writeback_started_ = 0;
};

// The whole file mapped. read_only and read_write are MAP_SHARED (page cache
// shared between processes; read_write writes reach the file), copy_on_write
// is MAP_PRIVATE. The mapping lives as long as any copy of owner().
class mapped_file {
public:
    mapped_file(const std::filesystem::path& path, mmap_mode mode);
    const mapped_bytes& bytes() const noexcept { return map_; }
    const std::string& name() const noexcept { return name_; }

private:
    mapped_bytes map_;
    std::string name_;
};

}  // namespace brine::io
