// Random access to an uncompressed stream: open a source at any offset.
// Plain files seek, mappings slice, compressed files decode (only the blocks
// needed when the codec has a block index, else from the start).
#pragma once

#include <brine/io/source.hpp>

#include <cstdint>
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

}  // namespace brine::io
