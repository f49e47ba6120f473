// One exception hierarchy for everything brine reports. Every message names
// where (file, byte offset when known) and what was expected, so a user can
// act on it without a debugger.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace brine {

// Where in which input a problem was found. `offset` is a byte offset in the
// uncompressed stream for format errors, or in the file for codec errors.
struct location {
    std::string file;                       // path, or "<stream>" / "<memory>"
    std::optional<std::uint64_t> offset;
};

class error : public std::runtime_error {
public:
    error(location where, const std::string& what);
    const std::string& file() const noexcept { return where_.file; }
    std::optional<std::uint64_t> offset() const noexcept { return where_.offset; }
    // The message without the "file: offset N: " prefix.
    const std::string& detail() const noexcept { return detail_; }

private:
    location where_;
    std::string detail_;
};

// File not found, not permitted, short write, disk full...
class io_error : public error { using error::error; };
// Not a file brine knows, or a version it does not read.
class format_error : public error { using error::error; };
// The input ended before the structure did.
class truncated_error : public format_error { using format_error::format_error; };
// Bytes that cannot be what they claim: bad compressed data, checksum mismatch,
// impossible sizes.
class corrupt_error : public error { using error::error; };
// A configured bound (depth, size, count) was exceeded.
class limit_error : public error { using error::error; };
// The stored data does not fit the requested C++ type.
class type_error : public error { using error::error; };
// A feature the input cannot offer (e.g. mmap of a compressed file), or a
// Python global outside the allowlist when objects are refused.
class unsupported_error : public error { using error::error; };
// A memory or disk budget cannot take what was asked (a spill store's
// memory_limit and disk_limit, a full disk); nothing was lost.
class capacity_error : public error { using error::error; };
// An encrypted input that none of the given identities or passphrases opens
// (or none was given).
class decryption_error : public error { using error::error; };

}  // namespace brine
