// The age stream under an already sealed header. Every file written with
// the same sealed_header shares its header text and file key; each has its
// own random nonce and so its own payload key (age.md: the payload key is
// HKDF(file key, nonce)), and each is a complete age file that `age -d`
// opens with the header's identity. Stores that write many small files
// (spill segments) pay for the recipients' key wrapping once, not per file.
#pragma once

#include "crypto/age_header.hpp"
#include "crypto/age_keys.hpp"

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string>

namespace brine::crypto {

// Gives the file key of a parsed header (its bytes through the MAC line), or
// throws a brine::error naming `name`.
using header_opener = std::function<file_key(const age_header&, std::span<const std::byte>, const std::string& name)>;

// Writes header.text, a fresh nonce, then the payload in chunks sealed on
// `threads` workers (0: all cores; 1: inline, no thread started).
std::unique_ptr<io::sink> encrypting_sink(io::sink& downstream, const sealed_header& header, unsigned threads);

// Reads an age file whose header must be header.text byte for byte (a
// decryption_error otherwise) and decrypts it with header.key.
std::unique_ptr<io::source> decrypting_source(io::source& upstream, const sealed_header& header, unsigned threads);

}  // namespace brine::crypto
