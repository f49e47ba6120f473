// Sequential, bounded reading of one uncompressed byte stream for the interop
// readers (pickle, joblib arrays, npy). It counts the offset for error
// messages, reads straight from memory when the source is a mapping (so
// arrays can be borrowed zero-copy), and never allocates on a length field's
// word alone: a declared size is checked against the bytes the source is known
// to hold, or memory grows only as bytes actually arrive.
#pragma once

#include <brine/error.hpp>
#include "model/byte_order.hpp"
#include <brine/io/buffer.hpp>
#include <brine/io/source.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::interop {

class input_cursor {
public:
    // `in` must outlive the cursor. Reading starts at the source's current
    // position; `max_bytes` is load_options::max_bytes (0: no cap).
    input_cursor(io::source& in, std::uint64_t max_bytes);

    std::uint64_t offset() const noexcept { return offset_; }
    std::string name() const { return in_.name(); }
    location where() const { return {name(), offset_}; }
    // Bytes left when the source knows it (files, memory); nullopt for pipes
    // and decompressed streams.
    std::optional<std::uint64_t> remaining() const;
    bool at_end();

    // Each throws brine::truncated_error "expected <what>" at end of input.
    std::uint8_t read_u8(std::string_view what);
    void read_exact(std::span<std::byte> dst, std::string_view what);
    template <class Uint> Uint read_le(std::string_view what) {
        std::byte b[sizeof(Uint)];
        read_exact(b, what);
        return detail::load_le<Uint>(b);
    }
    // n bytes as a string; memory grows with the bytes that arrive.
    std::string read_string(std::uint64_t n, std::string_view what);
    // Up to and excluding '\n', at most max_length bytes (text opcodes).
    std::string read_line(std::size_t max_length, std::string_view what);
    void skip(std::uint64_t n, std::string_view what);

    // n bytes for an array. Borrowed from the mapping when `borrow` is set,
    // the source is a mapping and the data sits at a multiple of `alignment`
    // (so typed views work); else owned, allocated only as far as the input
    // can back it.
    io::buffer read_buffer(std::uint64_t n, bool borrow, std::size_t alignment, std::string_view what);

    template <class Error = corrupt_error> [[noreturn]] void fail(const std::string& message) const {
        throw Error(where(), message);
    }
    [[noreturn]] void fail_truncated(std::string_view what, std::uint64_t wanted) const;

private:
    std::size_t fill();  // read-ahead for non-mapped sources; returns bytes buffered
    io::source& in_;
    const io::mapped_bytes* map_ = nullptr;
    std::size_t map_pos_ = 0;          // next byte in map_ when mapped
    std::vector<std::byte> ahead_;     // read-ahead when not mapped
    std::size_t ahead_pos_ = 0, ahead_end_ = 0;
    bool source_done_ = false;
    std::uint64_t offset_ = 0;
    std::uint64_t max_bytes_ = 0;
};

}  // namespace brine::interop
