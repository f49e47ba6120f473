// Random access to an uncompressed stream: open a source at any offset.
// Plain files seek, mappings slice, compressed files decode (only the blocks
// needed when the codec has a block index, else from the start:
// codec::make_random_access), encrypted files decrypt the chunks needed
// (crypto::make_decrypted_access).
#pragma once

#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace brine::io {

class random_access {
public:
    virtual ~random_access() = default;
    // Bytes in the uncompressed stream.
    virtual std::uint64_t size() const = 0;
    // A source standing at `offset` of the uncompressed stream.
    virtual std::unique_ptr<source> open_at(std::uint64_t offset) const = 0;
    virtual std::string name() const = 0;
};

// A file read in place: each open_at opens and seeks it.
std::unique_ptr<random_access> file_access(const std::filesystem::path& file);
// A file mapped once (`mode`: read_only, copy_on_write or read_write); each
// open_at slices the mapping.
std::unique_ptr<random_access> mapped_file_access(const std::filesystem::path& file, mmap_mode mode);
// Memory someone else owns (a frozen map's file, a decoded value); `bytes`
// keeps it alive.
std::unique_ptr<random_access> memory_access(mapped_bytes bytes, std::string name);
// A random access shared with others (the plaintext of an encrypted file).
std::unique_ptr<random_access> shared_access(std::shared_ptr<const random_access> access);

}  // namespace brine::io
