#include "buffered_input.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <cstring>

namespace brine::codec {

bool buffered_input::refill() {
    if (ended_) return false;
    if (pos_ > 0) {  // slide what is left to the front
        std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
    }
    if (end_ <= capacity && buffer_.size() > capacity) {  // what unread() added is read
        buffer_.resize(capacity);
        buffer_.shrink_to_fit();
    }
    if (end_ == buffer_.size()) return false;
    const std::size_t got = upstream_.read(std::span(buffer_).subspan(end_));
    if (got == 0) ended_ = true;
    end_ += got;
    return got > 0;
}

void buffered_input::unread(std::span<const std::byte> data) {
    if (data.size() > pos_) {  // no room in front: a larger buffer, data first
        std::vector<std::byte> joined(std::max(capacity, data.size() + (end_ - pos_)));
        std::memcpy(joined.data() + data.size(), buffer_.data() + pos_, end_ - pos_);
        end_ = data.size() + (end_ - pos_);
        pos_ = data.size();
        buffer_.swap(joined);
    }
    pos_ -= data.size();
    if (!data.empty()) std::memcpy(buffer_.data() + pos_, data.data(), data.size());
    offset_ -= data.size();
}

std::span<const std::byte> buffered_input::peek(std::size_t n) {
    n = std::min(n, buffer_.size());
    while (end_ - pos_ < n && refill()) {
    }
    return std::span<const std::byte>(buffer_).subspan(pos_, end_ - pos_);
}

std::size_t buffered_input::read(std::span<std::byte> dst) {
    const std::size_t buffered = std::min(dst.size(), end_ - pos_);
    std::memcpy(dst.data(), buffer_.data() + pos_, buffered);
    consume(buffered);
    std::size_t done = buffered;
    // Large reads bypass the buffer.
    while (done < dst.size() && !ended_) {
        const std::size_t got = upstream_.read(dst.subspan(done));
        if (got == 0) ended_ = true;
        done += got;
        offset_ += got;
    }
    return done;
}

void buffered_input::throw_truncated(std::uint64_t at, std::size_t got, std::size_t wanted,
                                     std::string_view what) const {
    throw truncated_error({name(), at}, std::string(what) + ": input ends after " + std::to_string(got) + " of " +
                                            std::to_string(wanted) + " bytes (expected all of them)");
}

std::uint64_t buffered_input::skip(std::uint64_t n) {
    const std::size_t buffered = static_cast<std::size_t>(std::min<std::uint64_t>(n, end_ - pos_));
    consume(buffered);
    std::uint64_t done = buffered;
    if (done < n && !ended_) {
        const std::uint64_t got = upstream_.skip(n - done);
        if (got < n - done) ended_ = true;
        done += got;
        offset_ += got;
    }
    return done;
}

}  // namespace brine::codec
