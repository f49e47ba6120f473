// The record reader's view of its input: a window of contiguous bytes
// [cur, end) over the stream, and the structure checksum of every byte that
// passes through it outside array payloads (docs/format.md, "Checksums").
//
// Memory mode: the whole mapping is the window and nothing is copied. Stream
// mode: a buffer of up to 256 KiB refilled from the source; large copies go
// straight from the source to their destination. The reader moves `cur`
// itself as it parses; `fill` and the copy and skip helpers keep the
// checksum right whichever way bytes go.
#pragma once

#include "format/hasher.hpp"
#include "format/varint.hpp"

#include <brine/error.hpp>
#include <brine/io/source.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brine::format {

struct hashed_window {
    static constexpr std::size_t window_size = 256 * 1024;

    io::source& in;
    std::string name;

    // The readable window [cur, end) of the stream; `begin` sits at stream
    // offset `base`. Memory mode: the whole mapping. Stream mode: `buf`.
    const io::mapped_bytes* map = nullptr;
    std::vector<std::byte> buf;
    const std::byte *begin = nullptr, *cur = nullptr, *end = nullptr;
    std::uint64_t base = 0;
    bool eof = false;

    hasher structure;
    const std::byte* hash_from = nullptr;  // unhashed structure bytes start here
    bool hashing = true;                   // false while inside an array payload

    // `start`: the stream offset `in` stands at (an entry's offset).
    hashed_window(io::source& source, std::uint64_t start);

    std::uint64_t offset() const { return base + static_cast<std::uint64_t>(cur - begin); }
    location where() const { return {name, offset()}; }
    std::size_t avail() const { return static_cast<std::size_t>(end - cur); }

    // What the source says it has left, plus the window (a mapping is all window).
    std::optional<std::uint64_t> with_window(std::optional<std::uint64_t> source_left) const {
        if (map) return avail();
        if (source_left) return avail() + *source_left;
        return std::nullopt;
    }
    std::optional<std::uint64_t> remaining() const { return with_window(in.remaining()); }
    std::optional<std::uint64_t> input_left() const { return with_window(in.input_left()); }

    // Adds the bytes parsed since the last call to the structure checksum.
    void hash_up_to_cur() {
        if (hashing) structure.update(hash_from, static_cast<std::size_t>(cur - hash_from));
        hash_from = cur;
    }

    // Tries to make n contiguous bytes (n <= window_size) available. The
    // check stays inline: the parser calls it for every field.
    bool fill(std::size_t n) { return avail() >= n || refill(n); }
    bool refill(std::size_t n);

    [[noreturn]] void truncated(const std::string& expected) const {
        throw truncated_error(where(), "input ends early, expected " + expected);
    }
    [[noreturn]] void corrupt(const std::string& what) const { throw corrupt_error(where(), what); }

    void need(std::size_t n, const char* expected) {
        if (!fill(n)) truncated(expected);
    }

    std::uint8_t byte(const char* expected) {
        need(1, expected);
        return static_cast<std::uint8_t>(*cur++);
    }

    std::uint64_t varint(const char* expected) {
        const auto r = get_varint(cur, end);
        if (r.length == 0 || r.length == varint_malformed) return varint_at_window_end(expected);
        cur += r.length;
        return r.value;
    }
    // The rare case: the varint runs past the window, or is malformed.
    std::uint64_t varint_at_window_end(const char* expected);

    // Copies the next n bytes of the stream into dst.
    void copy_out(std::byte* dst, std::uint64_t n, const char* expected);

    // Skips n bytes: seeks past payload bytes, reads structure bytes (they
    // must pass through the checksum).
    void skip_bytes(std::uint64_t n, const char* expected);
};

}  // namespace brine::format
