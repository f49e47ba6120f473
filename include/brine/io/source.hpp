// A byte source: what the record reader reads from. Files, std::istream,
// memory, mappings and decompressing sources implement it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace brine::io {

// Bytes that stay valid as long as `owner` lives: a file mapping or a memory
// buffer. Arrays loaded with mmap keep a copy of `owner`.
struct mapped_bytes {
    std::shared_ptr<const void> owner;
    std::span<const std::byte> bytes;
    bool writable = false;        // true for read_write / copy_on_write mappings
    bool writes_persist = false;  // true for read_write: writes reach the file
};

class source {
public:
    virtual ~source() = default;
    // Reads up to dst.size() bytes; returns fewer only at end of input, and 0
    // exactly at end of input. Throws brine::error on failure.
    virtual std::size_t read(std::span<std::byte> dst) = 0;
    // Skips n bytes (or to end of input); returns how many were skipped.
    virtual std::uint64_t skip(std::uint64_t n);
    // An upper bound on the bytes left that the source can really produce,
    // when it knows one: exact for plain files and memory; for compressed
    // input, the codec's maximal expansion of the compressed bytes left; none
    // for pipes. The reader rejects declared sizes above it and allocates
    // declared sizes below it up front.
    virtual std::optional<std::uint64_t> remaining() const { return std::nullopt; }
    // The bytes of actual input left, when known: the file's or memory's bytes
    // for those, the compressed bytes for a decompressing source; none for
    // pipes. Loaders reserve room up front in proportion to it
    // (format::reader::reservation_budget): memory backed by input that is
    // really there, never by a count that a header merely claims.
    virtual std::optional<std::uint64_t> input_left() const { return std::nullopt; }
    // Random access, when the source is backed by memory or a file: the
    // whole uncompressed stream as one mapping. nullptr otherwise.
    virtual const mapped_bytes* mapping() const { return nullptr; }
    // For error messages: a path, or "<stream>".
    virtual std::string name() const = 0;
};

}  // namespace brine::io
