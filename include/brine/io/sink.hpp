// A byte sink: where the record writer's bytes go. Files, std::ostream,
// memory and the compressing block pipeline all implement it, so the format
// layer never knows which one it writes to.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace brine::io {

class sink {
public:
    virtual ~sink() = default;
    // Writes all of `bytes` or throws brine::io_error.
    virtual void write(std::span<const std::byte> bytes) = 0;
    // Ends the output: flushes buffers, finishes compressed streams, makes a
    // file durable. No write may follow. A sink destroyed without finish()
    // discards what it can (an atomic file leaves the old file in place).
    virtual void finish() = 0;
    // For error messages: a path, or "<stream>".
    virtual std::string name() const = 0;
};

}  // namespace brine::io
