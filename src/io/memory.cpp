#include <brine/io/memory.hpp>

#include <algorithm>
#include <cstring>

namespace brine::io {

void memory_sink::write(std::span<const std::byte> bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

memory_source::memory_source(std::span<const std::byte> bytes, std::string name)
    : map_{nullptr, bytes, false}, name_(std::move(name)) {}

memory_source::memory_source(std::vector<std::byte> owned, std::string name) : name_(std::move(name)) {
    auto keep = std::make_shared<std::vector<std::byte>>(std::move(owned));
    map_ = {keep, std::span<const std::byte>(*keep), false};
}

memory_source::memory_source(mapped_bytes mapping, std::string name)
    : map_(std::move(mapping)), name_(std::move(name)) {}

std::size_t memory_source::read(std::span<std::byte> dst) {
    const auto n = std::min(dst.size(), map_.bytes.size() - pos_);
    if (n) std::memcpy(dst.data(), map_.bytes.data() + pos_, n);
    pos_ += n;
    return n;
}

std::uint64_t memory_source::skip(std::uint64_t n) {
    const auto k = std::min<std::uint64_t>(n, map_.bytes.size() - pos_);
    pos_ += k;
    return k;
}

}  // namespace brine::io
