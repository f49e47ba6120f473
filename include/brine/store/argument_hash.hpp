// Argument keys for brine::memory: the arguments' canonical brine
// serialization streamed into XXH3-128, with no copy of their data.
//
// The arguments are written as one list record by the ordinary serializers,
// through a format::writer in canonical mode (format/writer.hpp) whose sink
// hashes every byte as it arrives; arrays go from their own buffers to the
// hash in 512 KiB pieces. Canonical mode makes the key a function of the
// value, not of its memory:
//   - payloads are hashed little-endian whatever the machine's byte order
//     (scalars and varints already are), so keys match across machines;
//   - the children of dicts, maps and sets are hashed one by one and their
//     hashes added modulo 2^128, so the key does not depend on their order
//     (the construction and its collision bound: docs/format.md, "Argument
//     keys").
// The key names its algorithm ("xxh3-128-v1-" and 32 hex digits), so a later
// algorithm gives other names instead of colliding with these.
#pragma once

#include <brine/format/writer.hpp>
#include <brine/serialize.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace brine {

class argument_hasher {
public:
    static constexpr std::string_view algorithm = "xxh3-128-v1";

    argument_hasher();
    ~argument_hasher();
    argument_hasher(const argument_hasher&) = delete;
    argument_hasher& operator=(const argument_hasher&) = delete;

    // Write exactly one root value here (argument_key writes a list).
    format::writer& writer() noexcept;
    // "xxh3-128-v1-<32 hex digits>"; throws brine::error when the root value
    // is incomplete.
    std::string key() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// The key of an argument list: the same for equal values in any process, on
// any machine.
template <saveable... Args>
std::string argument_key(const Args&... args) {
    argument_hasher h;
    h.writer().begin_list(sizeof...(Args));
    (save(h.writer(), args), ...);
    h.writer().end();
    return h.key();
}

}  // namespace brine
