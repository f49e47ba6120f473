// Streaming XXH3-64, the checksum of format v1 (structure and payloads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <xxhash.h>

namespace brine::format {

class hasher {
public:
    hasher() : state_(XXH3_createState()) {
        if (!state_) throw std::bad_alloc();
        reset();
    }
    ~hasher() { XXH3_freeState(state_); }
    hasher(const hasher&) = delete;
    hasher& operator=(const hasher&) = delete;

    void reset() { XXH3_64bits_reset(state_); }
    void update(const std::byte* p, std::size_t n) {
        if (n) XXH3_64bits_update(state_, p, n);
    }
    std::uint64_t digest() const { return XXH3_64bits_digest(state_); }

private:
    XXH3_state_t* state_;
};

}  // namespace brine::format
