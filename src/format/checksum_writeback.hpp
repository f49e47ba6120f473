// An array that borrows a read_write mapping may be changed in place, and
// those writes reach the file. So that the file stays valid, the payload's
// checksum (the 8 bytes after it, docs/format.md) is rewritten with the hash
// of what the data has become when the array's last user lets go: buffers
// handed out by reader::take_array_data own one of these.
#pragma once

#include "format/hasher.hpp"
#include "model/byte_order.hpp"

#include <cstddef>
#include <memory>
#include <span>

namespace brine::format {

class checksum_writeback {
public:
    checksum_writeback(std::shared_ptr<const void> mapping, std::span<const std::byte> payload, std::byte* checksum)
        : mapping_(std::move(mapping)), payload_(payload), checksum_(checksum) {}
    ~checksum_writeback() { detail::store_le<std::uint64_t>(checksum_, XXH3_64bits(payload_.data(), payload_.size())); }
    checksum_writeback(const checksum_writeback&) = delete;
    checksum_writeback& operator=(const checksum_writeback&) = delete;

private:
    std::shared_ptr<const void> mapping_;  // keeps the pages mapped until the checksum is stored
    std::span<const std::byte> payload_;
    std::byte* checksum_;
};

}  // namespace brine::format
