// Reading a zip archive held in memory (a file mapping or a buffer): the
// end-of-central-directory record (zip64 too), the central directory, and
// each member's data, stored or deflated. Every offset and size is checked
// against the archive's bytes before use, and inflated sizes against
// deflate's largest possible ratio before allocating.
#pragma once

#include <brine/error.hpp>
#include <brine/io/buffer.hpp>
#include <brine/io/source.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brine::interop {

struct zip_member {
    std::string name;
    std::uint16_t method = 0;            // 0 stored, 8 deflated
    std::uint32_t crc32 = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t size = 0;
    std::uint64_t data_offset = 0;       // of the (compressed) data in the archive
};

class zip_reader {
public:
    zip_reader(std::span<const std::byte> archive, std::string name);
    const std::vector<zip_member>& members() const noexcept { return members_; }
    // A stored member's bytes, inside the archive.
    std::span<const std::byte> stored(const zip_member& m) const;
    // A deflated member's bytes, inflated into owned memory.
    io::buffer inflate(const zip_member& m) const;
    // Throws brine::corrupt_error unless `data` has the member's CRC-32.
    void check_crc(const zip_member& m, std::span<const std::byte> data) const;

private:
    [[noreturn]] void fail(std::uint64_t offset, const std::string& what) const;
    void read_central_directory(std::uint64_t offset, std::uint64_t size, std::uint64_t count);
    std::span<const std::byte> bytes_;
    std::string name_;
    std::vector<zip_member> members_;
};

}  // namespace brine::interop
