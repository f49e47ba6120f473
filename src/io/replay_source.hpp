// Codec detection reads a file's first bytes before anyone knows which
// decoder to put in front of it. replay_source serves those bytes again,
// then reads on, so the detected decoder sees the stream from its start.
#pragma once

#include <brine/io/source.hpp>

#include <cstddef>
#include <vector>

namespace brine::io {

class replay_source final : public source {
public:
    replay_source(source& in, std::vector<std::byte> prefix) : in_(in), prefix_(std::move(prefix)) {}
    std::size_t read(std::span<std::byte> dst) override;
    std::optional<std::uint64_t> remaining() const override;
    std::optional<std::uint64_t> input_left() const override;
    std::string name() const override { return in_.name(); }

private:
    source& in_;
    std::vector<std::byte> prefix_;
    std::size_t pos_ = 0;
};

// Up to `n` bytes from the start of `in` (fewer only when the input is shorter).
std::vector<std::byte> read_prefix(source& in, std::size_t n);

}  // namespace brine::io
