#include "interop/input_cursor.hpp"
#include "io/growing_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace brine::interop {

namespace {
constexpr std::size_t read_ahead_size = 64 * 1024;
// Growth step for data whose size the input cannot vouch for: a lying length
// field costs at most this much before the input runs out.
constexpr std::size_t unvouched_chunk = 1 << 20;
}  // namespace

input_cursor::input_cursor(io::source& in, std::uint64_t max_bytes) : in_(in), max_bytes_(max_bytes) {
    if (const auto* m = in.mapping()) {
        const auto rem = in.remaining();
        if (rem && *rem <= m->bytes.size()) {
            map_ = m;
            map_pos_ = m->bytes.size() - static_cast<std::size_t>(*rem);
        }
    }
}

std::optional<std::uint64_t> input_cursor::remaining() const {
    if (map_) return map_->bytes.size() - map_pos_;
    if (auto r = in_.remaining()) return *r + (ahead_end_ - ahead_pos_);
    return std::nullopt;
}

std::size_t input_cursor::fill() {
    if (ahead_pos_ < ahead_end_ || source_done_) return ahead_end_ - ahead_pos_;
    if (ahead_.size() < read_ahead_size) ahead_.resize(read_ahead_size);
    ahead_pos_ = 0;
    ahead_end_ = in_.read(ahead_);
    if (ahead_end_ == 0) source_done_ = true;
    return ahead_end_;
}

bool input_cursor::at_end() {
    if (map_) return map_pos_ == map_->bytes.size();
    return fill() == 0;
}

void input_cursor::fail_truncated(std::string_view what, std::uint64_t wanted) const {
    throw truncated_error(where(), "input ends early: expected " + std::string(what) + " (" + std::to_string(wanted) +
                                       (wanted == 1 ? " byte)" : " bytes)"));
}

std::uint8_t input_cursor::read_u8(std::string_view what) {
    if (map_) {
        if (map_pos_ == map_->bytes.size()) fail_truncated(what, 1);
        ++offset_;
        return static_cast<std::uint8_t>(map_->bytes[map_pos_++]);
    }
    if (fill() == 0) fail_truncated(what, 1);
    ++offset_;
    return static_cast<std::uint8_t>(ahead_[ahead_pos_++]);
}

void input_cursor::read_exact(std::span<std::byte> dst, std::string_view what) {
    if (map_) {
        if (map_->bytes.size() - map_pos_ < dst.size()) fail_truncated(what, dst.size());
        if (!dst.empty()) std::memcpy(dst.data(), map_->bytes.data() + map_pos_, dst.size());
        map_pos_ += dst.size();
        offset_ += dst.size();
        return;
    }
    std::size_t done = 0;
    // Small reads come from the read-ahead; large ones go straight to dst.
    while (done < dst.size()) {
        if (ahead_pos_ < ahead_end_) {
            const auto n = std::min(dst.size() - done, ahead_end_ - ahead_pos_);
            std::memcpy(dst.data() + done, ahead_.data() + ahead_pos_, n);
            ahead_pos_ += n;
            done += n;
        } else if (dst.size() - done >= read_ahead_size) {
            const auto n = source_done_ ? 0 : in_.read(dst.subspan(done));
            if (n == 0) {
                source_done_ = true;
                offset_ += done;
                fail_truncated(what, dst.size() - done);
            }
            done += n;
        } else if (fill() == 0) {
            offset_ += done;
            fail_truncated(what, dst.size() - done);
        }
    }
    offset_ += done;
}

std::string input_cursor::read_string(std::uint64_t n, std::string_view what) {
    if (auto r = remaining(); r && n > *r) fail_truncated(what, n);
    std::string s;
    while (s.size() < n) {
        const auto step = static_cast<std::size_t>(std::min<std::uint64_t>(n - s.size(), unvouched_chunk));
        const auto old = s.size();
        s.resize(old + step);
        read_exact(std::as_writable_bytes(std::span(s.data() + old, step)), what);
    }
    return s;
}

std::string input_cursor::read_line(std::size_t max_length, std::string_view what) {
    std::string s;
    for (;;) {
        const auto c = read_u8(what);
        if (c == '\n') return s;
        if (s.size() == max_length) fail<format_error>("expected " + std::string(what) + " of at most " + std::to_string(max_length) + " bytes ending in a newline");
        s.push_back(static_cast<char>(c));
    }
}

void input_cursor::skip(std::uint64_t n, std::string_view what) {
    if (map_) {
        if (map_->bytes.size() - map_pos_ < n) fail_truncated(what, n);
        map_pos_ += static_cast<std::size_t>(n);
        offset_ += n;
        return;
    }
    std::uint64_t left = n;
    while (left) {
        if (fill() == 0) fail_truncated(what, left);
        const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(left, ahead_end_ - ahead_pos_));
        ahead_pos_ += k;
        offset_ += k;
        left -= k;
    }
}

io::buffer input_cursor::read_buffer(std::uint64_t n, bool borrow, std::size_t alignment, std::string_view what) {
    if (auto r = remaining(); r && n > *r) fail_truncated(what, n);
    if (map_ && borrow) {
        auto* p = const_cast<std::byte*>(map_->bytes.data() + map_pos_);
        if (reinterpret_cast<std::uintptr_t>(p) % alignment == 0) {
            map_pos_ += static_cast<std::size_t>(n);
            offset_ += n;
            return io::buffer(map_->owner, p, static_cast<std::size_t>(n), map_->writable, true);
        }
    }
    if (n > SIZE_MAX) fail<limit_error>("an array of " + std::to_string(n) + " bytes does not fit in memory");
    if (remaining()) {  // the input vouches for the size: allocate once
        auto b = io::buffer::allocate(static_cast<std::size_t>(n));
        read_exact(b.bytes(), what);
        return b;
    }
    if (max_bytes_ && n > max_bytes_)
        fail<limit_error>(std::string(what) + " declares " + std::to_string(n) + " bytes, more than load_options::max_bytes (" +
                          std::to_string(max_bytes_) + ")");
    io::growing_buffer g;
    while (g.size() < n) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n, std::max<std::uint64_t>(unvouched_chunk, 2 * g.size())));
        g.reserve(want);
        const auto old = g.size();
        read_exact(std::span(g.data() + old, want - old), what);
        g.set_size(want);
    }
    return std::move(g).release();
}

}  // namespace brine::interop
