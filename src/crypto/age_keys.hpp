// age's file key and the two native recipient types brine implements:
// X25519 (age1... / AGE-SECRET-KEY-1...) and scrypt passphrases (age.md,
// "Native recipient types"). Wrapping puts the file key in a stanza;
// opening a header finds a stanza one of our keys unwraps and checks the MAC.
#pragma once

#include "crypto/age_header.hpp"
#include "crypto/secret.hpp"

#include <brine/crypto/age.hpp>

#include <string>
#include <vector>

namespace brine::crypto {

using file_key = secret<16>;

// A fresh random file key, wrapped for every recipient (or the passphrase):
// the complete header text (MAC line included) and the key.
struct sealed_header {
    std::string text;
    file_key key;
};
sealed_header seal_header(const age::encryption& keys, const std::string& name);

// The file key `header` (the first `header_bytes` of the file) carries for
// `keys`, after verifying the header MAC. Throws brine::decryption_error
// when no key opens a stanza, limit_error for scrypt work beyond the cap,
// corrupt_error for a MAC mismatch, format_error for malformed stanzas.
file_key open_header(const age_header& header, std::span<const std::byte> header_bytes, const age::decryption& keys,
                     const std::string& name);

}  // namespace brine::crypto
