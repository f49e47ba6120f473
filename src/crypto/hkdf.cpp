#include "crypto/hkdf.hpp"

#include "crypto/secret.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace brine::crypto {

namespace {
// libsodium declares its pointers nonnull even for zero lengths, and an empty
// span's data() may be null (an absent salt).
const unsigned char* nonnull(std::span<const unsigned char> s) {
    static const unsigned char none = 0;
    return s.empty() ? &none : s.data();
}
}  // namespace

void hkdf_sha256(std::span<const unsigned char> ikm, std::span<const unsigned char> salt, std::string_view info,
                 std::span<unsigned char> out) {
    constexpr std::size_t hash_len = crypto_auth_hmacsha256_BYTES;
    if (out.size() > 255 * hash_len) throw std::length_error("HKDF-SHA-256 output longer than 255 blocks");
    // Extract: PRK = HMAC-Hash(salt, IKM). An absent salt is HashLen zeros,
    // which HMAC's zero padding of a short key makes the same as an empty key.
    secret<hash_len> prk;
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, nonnull(salt), salt.size());
    crypto_auth_hmacsha256_update(&state, nonnull(ikm), ikm.size());
    crypto_auth_hmacsha256_final(&state, prk.data());
    // Expand: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = T(1) | T(2) | ...
    secret<hash_len> block;
    std::size_t done = 0;
    for (unsigned char i = 1; done < out.size(); ++i) {
        crypto_auth_hmacsha256_init(&state, prk.data(), prk.size());
        if (i > 1) crypto_auth_hmacsha256_update(&state, block.data(), block.size());
        crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(info.data()), info.size());
        crypto_auth_hmacsha256_update(&state, &i, 1);
        crypto_auth_hmacsha256_final(&state, block.data());
        const std::size_t n = std::min(hash_len, out.size() - done);
        std::copy_n(block.data(), n, out.data() + done);
        done += n;
    }
    sodium_memzero(&state, sizeof state);
}

}  // namespace brine::crypto
