// HKDF-SHA-256 (RFC 5869) on libsodium's HMAC-SHA-256: the one key
// derivation age uses, for wrap keys, the header MAC key and the payload key.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace brine::crypto {

// HKDF-Extract(salt, ikm) then HKDF-Expand(prk, info, out.size()).
// out.size() <= 255 * 32, as the RFC requires.
void hkdf_sha256(std::span<const unsigned char> ikm, std::span<const unsigned char> salt, std::string_view info,
                 std::span<unsigned char> out);

}  // namespace brine::crypto
