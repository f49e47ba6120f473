// Streaming XXH3-64, the checksum of format v1 (structure and payloads), and
// XXH3-128 for the store layer's argument keys.
// libbrine's one include of xxhash: the other files take XXH3 from here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <xxhash.h>
// On x86-64, libxxhash's dispatching entry points pick AVX2 or AVX-512 at run
// time (the plain ones stay on the SSE2 baseline Debian builds for): the
// checksum is a tenth of a raw load.
#if defined(__x86_64__) && __has_include(<xxh_x86dispatch.h>)
#include <xxh_x86dispatch.h>
#endif

namespace brine::format {

// Large payloads are hashed in pieces of this size, each right after it is
// copied (read from the input, or written to the output), while it is still
// in a core's L2 cache: hashing a large array in a pass of its own would
// fetch it from memory a second time.
inline constexpr std::size_t hash_piece_size = 512 * 1024;

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

// Streaming XXH3-128: the argument keys of the store layer (store/argument_hash).
class hasher128 {
public:
    struct digest_type {
        std::uint64_t low = 0, high = 0;
    };
    hasher128() : state_(XXH3_createState()) {
        if (!state_) throw std::bad_alloc();
        reset();
    }
    ~hasher128() { XXH3_freeState(state_); }
    hasher128(const hasher128&) = delete;
    hasher128& operator=(const hasher128&) = delete;

    void reset() { XXH3_128bits_reset(state_); }
    void update(const std::byte* p, std::size_t n) {
        if (n) XXH3_128bits_update(state_, p, n);
    }
    digest_type digest() const {
        const XXH128_hash_t h = XXH3_128bits_digest(state_);
        return {h.low64, h.high64};
    }

private:
    XXH3_state_t* state_;
};

}  // namespace brine::format
