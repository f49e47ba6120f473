// Writing a zip archive sequentially to a sink (files, pipes): each member's
// local header, data, then the central directory. Stored members are padded
// (an extra field in the local header) so their data starts at a multiple of
// `data_alignment`; zip64 records appear where a size or offset needs them,
// or everywhere when forced.
#pragma once

#include <brine/io/sink.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brine::interop {

class zip_writer {
public:
    zip_writer(io::sink& out, bool force_zip64);
    ~zip_writer();
    // A member made of the concatenation of `parts` (e.g. npy header + array data).
    void add_stored(const std::string& name, std::span<const std::span<const std::byte>> parts, std::size_t data_alignment);
    void add_deflated(const std::string& name, std::span<const std::span<const std::byte>> parts, int level);
    // Central directory and end records; finishes the sink.
    void finish();

private:
    struct entry {
        std::string name;
        std::uint16_t method;
        std::uint32_t crc;
        std::uint64_t compressed_size, size, local_offset;
    };
    void add(entry e, std::span<const std::span<const std::byte>> data, std::size_t data_alignment);
    bool needs_zip64(const entry& e) const;
    void put(std::span<const std::byte> b);
    io::sink& out_;
    bool force_zip64_;
    std::uint64_t offset_ = 0;
    std::vector<entry> entries_;
};

}  // namespace brine::interop
