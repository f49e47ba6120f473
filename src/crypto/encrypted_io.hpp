// Where the rest of libbrine meets encryption: dump wraps its target in an
// encrypting sink when asked to, every load path puts a decrypting source in
// front of input that starts with age's magic, and open() gets random access
// to an encrypted file's plaintext.
#pragma once

#include "io/random_access.hpp"

#include <brine/crypto/age.hpp>
#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <filesystem>
#include <memory>

namespace brine::crypto {

age::encryption encryption_for(const dump_options& o);
age::decryption decryption_for(const load_options& o);

// The encrypting sink in front of `target` when `o` has recipients or a
// passphrase, or `file` ends in ".age" (then they are required: an
// unsupported_error otherwise); nullptr when nothing is to be encrypted.
std::unique_ptr<io::sink> encrypt_if_asked(io::sink& target, const std::filesystem::path* file, const dump_options& o);
// Throws unsupported_error when `file` ends in ".age" and `keys` is empty.
void require_keys_for(const std::filesystem::path& file, const age::encryption& keys);
// The same for the interop writers, whose options carry the keys too.
std::unique_ptr<io::sink> encrypt_if_asked(io::sink& target, const std::filesystem::path* file, const age::encryption& keys);

// The codec of a dump to `file`: the explicit one, else from the extension
// under ".age" ("m.brine.zst.age" -> zstd).
codec_id codec_for_path(const std::filesystem::path& file, const dump_options& o);

// Takes `in`. When it starts with age's magic, a source of the plaintext;
// otherwise a source of `in`'s own bytes (the prefix read to check served
// again). `encrypted` (when given) tells which.
std::unique_ptr<io::source> decrypt_if_encrypted(std::unique_ptr<io::source> in, const load_options& o,
                                                 bool* encrypted = nullptr);

// Whether the file at `file` starts with age's magic.
bool file_is_encrypted(const std::filesystem::path& file);

// Random access to the plaintext of the binary age file `file`: the header is
// opened and the final chunk verified once, then open_at(offset) decrypts
// only the chunks from the one holding `offset` on. An armored file has no
// fixed chunk offsets: it is decrypted from the start for each open_at.
std::unique_ptr<io::random_access> make_decrypted_access(const std::filesystem::path& file, const load_options& o);

}  // namespace brine::crypto
