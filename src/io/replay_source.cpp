#include "io/replay_source.hpp"

#include <algorithm>
#include <cstring>

namespace brine::io {

std::size_t replay_source::read(std::span<std::byte> dst) {
    std::size_t n = 0;
    if (pos_ < prefix_.size()) {
        n = std::min(dst.size(), prefix_.size() - pos_);
        std::memcpy(dst.data(), prefix_.data() + pos_, n);
        pos_ += n;
    }
    while (n < dst.size()) {  // short only at end of input, as source requires
        const auto got = in_.read(dst.subspan(n));
        if (!got) break;
        n += got;
    }
    return n;
}

std::optional<std::uint64_t> replay_source::remaining() const {
    if (auto r = in_.remaining()) return *r + (prefix_.size() - pos_);
    return std::nullopt;
}

std::optional<std::uint64_t> replay_source::input_left() const {
    if (auto r = in_.input_left()) return *r + (prefix_.size() - pos_);
    return std::nullopt;
}

std::vector<std::byte> read_prefix(source& in, std::size_t n) {
    std::vector<std::byte> prefix(n);
    std::size_t got = 0;
    while (got < n) {
        const auto k = in.read(std::span(prefix).subspan(got));
        if (!k) break;
        got += k;
    }
    prefix.resize(got);
    return prefix;
}

}  // namespace brine::io
