// In-memory sink and source: tests, fuzzing, and value <-> typed conversion.
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace brine::io {

class memory_sink final : public sink {
public:
    void write(std::span<const std::byte> bytes) override;
    void finish() override { finished_ = true; }
    std::string name() const override { return "<memory>"; }
    const std::vector<std::byte>& bytes() const noexcept { return bytes_; }
    std::vector<std::byte> take() && { return std::move(bytes_); }
    bool finished() const noexcept { return finished_; }

private:
    std::vector<std::byte> bytes_;
    bool finished_ = false;
};

// Reads from bytes the caller keeps alive, or from bytes it owns. It is a
// mapping (mapping() != nullptr), so arrays can be borrowed zero-copy.
class memory_source final : public source {
public:
    explicit memory_source(std::span<const std::byte> bytes, std::string name = "<memory>");
    explicit memory_source(std::vector<std::byte> owned, std::string name = "<memory>");
    memory_source(mapped_bytes mapping, std::string name);

    std::size_t read(std::span<std::byte> dst) override;
    std::uint64_t skip(std::uint64_t n) override;
    std::optional<std::uint64_t> remaining() const override { return map_.bytes.size() - pos_; }
    std::optional<std::uint64_t> input_left() const override { return remaining(); }
    const mapped_bytes* mapping() const override { return &map_; }
    std::string name() const override { return name_; }
    std::uint64_t position() const noexcept { return pos_; }

private:
    mapped_bytes map_;
    std::size_t pos_ = 0;
    std::string name_;
};

}  // namespace brine::io
