#include <brine/io/source.hpp>

#include <array>
#include <algorithm>

namespace brine::io {

std::uint64_t source::skip(std::uint64_t n) {
    std::array<std::byte, 64 * 1024> scratch;
    std::uint64_t done = 0;
    while (done < n) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, scratch.size()));
        const auto got = read({scratch.data(), want});
        done += got;
        if (got < want) break;
    }
    return done;
}

}  // namespace brine::io
