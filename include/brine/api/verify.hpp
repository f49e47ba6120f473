// brine::verify: check every byte of a file without keeping it in memory.
#pragma once

#include <brine/options.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace brine {

struct verify_report {
    bool ok = true;
    std::string path;                     // where in the tree: root["layers"][3]
    std::optional<std::uint64_t> offset;  // uncompressed stream offset of the problem
    std::string message;                  // the error, as brine::error::what() would say it
    codec_id codec = codec_id::none;
    std::uint64_t arrays = 0, array_bytes = 0, records = 0;
    explicit operator bool() const noexcept { return ok; }
};

// Reads the whole file with every check on: the codec's own checks, every
// array checksum, the structure checksum, and the table of contents against
// the records it indexes. Memory stays bounded (arrays are streamed through
// a small buffer). Reports the first problem; throws only for a missing or
// unreadable file.
verify_report verify(const std::filesystem::path& file, unsigned threads = 0);
// The same with load options: threads, and the keys of an encrypted file
// (mmap is ignored, checksums are always verified).
verify_report verify(const std::filesystem::path& file, const load_options& options);

}  // namespace brine
