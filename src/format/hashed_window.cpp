#include "format/hashed_window.hpp"

#include "format/constants.hpp"

#include <algorithm>
#include <cstring>

namespace brine::format {

hashed_window::hashed_window(io::source& source, std::uint64_t start) : in(source), name(source.name()), base(start) {
    map = in.mapping();
    if (map) {
        const auto pos = in.remaining() ? map->bytes.size() - *in.remaining() : 0;
        begin = map->bytes.data() + pos;
        cur = begin;
        end = map->bytes.data() + map->bytes.size();
        in.skip(static_cast<std::uint64_t>(end - begin));
    } else {
        // No larger than the input: a small file costs no 256 KiB to zero.
        buf.resize(static_cast<std::size_t>(std::min<std::uint64_t>(window_size, in.remaining().value_or(window_size))));
        begin = cur = end = buf.data();
    }
    hash_from = cur;
}

bool hashed_window::refill(std::size_t n) {
    if (map || eof) return false;
    hash_up_to_cur();
    const auto keep = avail();
    base += static_cast<std::uint64_t>(cur - begin);
    if (keep) std::memmove(buf.data(), cur, keep);  // cur and buf.data() may both be null before the first fill
    begin = cur = hash_from = buf.data();
    end = buf.data() + keep;
    while (avail() < n && !eof) {
        const auto got = in.read({const_cast<std::byte*>(end), static_cast<std::size_t>(buf.data() + buf.size() - end)});
        if (got == 0) eof = true;
        end += got;
    }
    return avail() >= n;
}

std::uint64_t hashed_window::varint_at_window_end(const char* expected) {
    auto r = get_varint(cur, end);
    if (r.length == 0) {
        fill(v1::max_varint_bytes);
        r = get_varint(cur, end);
        if (r.length == 0) truncated(expected);
    }
    if (r.length == varint_malformed) corrupt(std::string("malformed varint, expected ") + expected);
    cur += r.length;
    return r.value;
}

void hashed_window::copy_out(std::byte* dst, std::uint64_t n, const char* expected) {
    const auto first = static_cast<std::size_t>(std::min<std::uint64_t>(n, avail()));
    std::memcpy(dst, cur, first);
    cur += first;
    dst += first;
    n -= first;
    while (n) {
        if (map || eof) truncated(expected);
        if (n >= window_size / 2) {  // large: straight from the source, no window copy
            hash_up_to_cur();
            base += static_cast<std::uint64_t>(cur - begin);
            begin = cur = end = hash_from = buf.data();
            const auto got = in.read({dst, static_cast<std::size_t>(n)});
            if (hashing) structure.update(dst, got);  // structure bytes that bypassed the window
            base += got;
            dst += got;
            n -= got;
            if (n) {
                eof = true;
                truncated(expected);
            }
        } else {
            if (!fill(1)) truncated(expected);
            const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, avail()));
            std::memcpy(dst, cur, k);
            cur += k;
            dst += k;
            n -= k;
        }
    }
}

void hashed_window::skip_bytes(std::uint64_t n, const char* expected) {
    const auto first = static_cast<std::size_t>(std::min<std::uint64_t>(n, avail()));
    cur += first;
    n -= first;
    if (!n) return;
    if (map) truncated(expected);
    if (hashing) {  // structure bytes must pass through the hash: read, don't seek
        while (n) {
            if (!fill(1)) truncated(expected);
            const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, avail()));
            cur += k;
            n -= k;
        }
        return;
    }
    hash_up_to_cur();
    base += static_cast<std::uint64_t>(cur - begin);
    begin = cur = end = hash_from = buf.data();
    const auto got = eof ? 0 : in.skip(n);
    base += got;
    if (got < n) {
        eof = true;
        truncated(expected);
    }
}

}  // namespace brine::format
