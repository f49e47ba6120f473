// age's payload (age.md "Payload"): a 16-byte nonce, then the plaintext in
// 64 KiB chunks, each sealed with ChaCha20-Poly1305 under the payload key
// with nonce = 11-byte big-endian chunk counter || last-chunk flag.
#pragma once

#include "crypto/age_keys.hpp"
#include "crypto/secret.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace brine::crypto {

inline constexpr std::size_t chunk_size = 64 << 10;
inline constexpr std::size_t tag_size = 16;
inline constexpr std::size_t sealed_chunk_size = chunk_size + tag_size;
inline constexpr std::size_t payload_nonce_size = 16;
// Chunks per unit of work on the thread pool: 1 MiB, so that scheduling
// costs little beside the cipher.
inline constexpr std::size_t chunks_per_batch = 16;

using payload_key = secret<32>;

payload_key derive_payload_key(const file_key& fk, std::span<const unsigned char> nonce);

// Seals `plain` (at most chunk_size bytes) as chunk `index` into `out`
// (plain.size() + tag_size bytes).
void seal_chunk(const payload_key& key, std::uint64_t index, bool last, std::span<const std::byte> plain, std::byte* out);

// Where a chunk sits, for messages: the file, and the offset of the chunk
// in the (binary) age file.
struct chunk_place {
    const std::string& file;
    std::uint64_t offset;
};

// Opens chunk `index` into `out` (sealed.size() - tag_size bytes) and returns
// the plaintext size. `last`: whether the chunk is the last in the file (by
// position). Throws, naming the chunk: truncated_error when the file was cut
// (inside a chunk, or at a chunk boundary so that the last chunk is not the
// final one), corrupt_error when the chunk fails authentication (tampered,
// reordered, data appended after the final chunk). `out` holds nothing of a
// chunk that fails.
std::size_t open_chunk(const payload_key& key, std::uint64_t index, bool last, std::span<const std::byte> sealed,
                       std::byte* out, const chunk_place& where);

}  // namespace brine::crypto
