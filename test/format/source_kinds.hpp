// The three ways the reader meets its input: a mapping, a file-like source
// that knows its size, and a pipe-like source that knows nothing.
#pragma once

#include <brine/io/memory.hpp>

#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace brine::test {

// Like a pipe: no size, no mapping.
class pipe_source final : public io::source {
public:
    explicit pipe_source(std::vector<std::byte> bytes) : bytes_(std::move(bytes)) {}
    std::size_t read(std::span<std::byte> dst) override {
        const auto n = std::min(dst.size(), bytes_.size() - pos_);
        if (n) std::memcpy(dst.data(), bytes_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    std::string name() const override { return "<pipe>"; }

private:
    std::vector<std::byte> bytes_;
    std::size_t pos_ = 0;
};

// Like a file: knows its size, no mapping.
class sized_source final : public io::source {
public:
    explicit sized_source(std::vector<std::byte> bytes) : pipe_(bytes), size_(bytes.size()) {}
    std::size_t read(std::span<std::byte> dst) override {
        const auto n = pipe_.read(dst);
        pos_ += n;
        return n;
    }
    std::optional<std::uint64_t> remaining() const override { return size_ - pos_; }
    std::optional<std::uint64_t> input_left() const override { return remaining(); }
    std::string name() const override { return "<file>"; }

private:
    pipe_source pipe_;
    std::size_t size_, pos_ = 0;
};

enum class source_kind { mapped, sized, pipe };
inline constexpr source_kind all_source_kinds[] = {source_kind::mapped, source_kind::sized, source_kind::pipe};

inline std::unique_ptr<io::source> make_source(source_kind k, std::vector<std::byte> bytes) {
    switch (k) {
    case source_kind::mapped: return std::make_unique<io::memory_source>(std::move(bytes));
    case source_kind::sized: return std::make_unique<sized_source>(std::move(bytes));
    default: return std::make_unique<pipe_source>(std::move(bytes));
    }
}

}  // namespace brine::test
