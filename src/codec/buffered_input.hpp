// A read buffer over an io::source that lets decoders look ahead (magic
// numbers, block headers) and keeps the compressed offset for messages.
#pragma once

#include <brine/io/source.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::codec {

class buffered_input {
public:
    static constexpr std::size_t capacity = 256 << 10;

    // `offset`: where `upstream` stands in the compressed file, for messages.
    explicit buffered_input(io::source& upstream, std::uint64_t offset = 0)
        : upstream_(upstream), buffer_(capacity), offset_(offset) {}

    // At least min(n, capacity) bytes unless the input ends first; fewer only
    // at end of input.
    std::span<const std::byte> peek(std::size_t n);
    // Whatever is buffered, refilled first when empty.
    std::span<const std::byte> available() {
        if (pos_ == end_) refill();
        return std::span<const std::byte>(buffer_).subspan(pos_, end_ - pos_);
    }
    // Reads more into the buffer, keeping what is there; false if nothing came.
    bool refill();
    void consume(std::size_t n) { pos_ += n; offset_ += n; }
    // Puts back `data`, which must be exactly the bytes consumed last, so
    // they are read again (a guessed block cut turned out wrong). The buffer
    // grows to hold them and shrinks back once they are read.
    void unread(std::span<const std::byte> data);
    // Copies exactly dst.size() bytes; returns how many there were before the end.
    std::size_t read(std::span<std::byte> dst);
    std::uint64_t skip(std::uint64_t n);
    // Appends the next n bytes to `out`, growing it only as bytes arrive.
    // Throws truncated_error "<what_ends>: input ends inside ..." if they do not.
    template <class Bytes>
    void append_exactly(Bytes& out, std::size_t n, std::string_view what) {
        const std::uint64_t start_offset = offset_;
        for (std::size_t done = 0; done < n;) {
            const auto chunk = available();
            if (chunk.empty()) throw_truncated(start_offset, done, n, what);
            const std::size_t take = std::min(chunk.size(), n - done);
            out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
            consume(take);
            done += take;
        }
    }
    bool at_end() { return peek(1).empty(); }
    // Compressed bytes not yet consumed, when the upstream knows its size.
    std::optional<std::uint64_t> remaining() const {
        if (auto r = upstream_.remaining()) return *r + (end_ - pos_);
        return std::nullopt;
    }
    bool upstream_ended() const { return ended_; }
    // Offset in the compressed input of the first unconsumed byte.
    std::uint64_t offset() const { return offset_; }
    std::string name() const { return upstream_.name(); }

private:
    [[noreturn]] void throw_truncated(std::uint64_t at, std::size_t got, std::size_t wanted, std::string_view what) const;

    io::source& upstream_;
    std::vector<std::byte> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t offset_ = 0;
    bool ended_ = false;
};

}  // namespace brine::codec
