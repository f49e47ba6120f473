// Encryption in the age format (age-encryption.org/v1, https://c2sp.org/age):
// files brine writes with recipients or a passphrase are standard age files
// (`age -d` decrypts them) and brine reads what `age` writes, binary or
// armored. dump_options/load_options carry the keys for dump and load; this
// header is for encrypting or decrypting any bytes, and for key handling:
//
//   auto key = brine::age::generate_identity();          // AGE-SECRET-KEY-1...
//   io::memory_sink out;
//   auto enc = brine::age::encrypting_sink(out, {.recipients = {brine::age::recipient_of(key)}});
//   enc->write(bytes); enc->finish();                    // finishes `out` too
//   io::memory_source in(out.bytes());
//   auto dec = brine::age::decrypting_source(in, {.identities = {key}});
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::age {

// Who can read what is written.
struct encryption {
    // X25519 recipients, "age1...".
    std::vector<std::string> recipients{};
    // Or a passphrase (age's scrypt stanza); age allows no other recipient beside it.
    std::string passphrase{};
    // log2 of scrypt's N for a passphrase: 18 is age's own default (about
    // 1 s and 256 MiB); tests use less.
    int work_factor = 18;
    // Chunks encrypted in parallel; 0 = all cores.
    unsigned threads = 0;
    bool empty() const noexcept { return recipients.empty() && passphrase.empty(); }
};

// What may open a file.
struct decryption {
    // X25519 identities: "AGE-SECRET-KEY-1..." strings, the contents of an
    // identity file, or the path of one (lines of keys, '#' comments).
    std::vector<std::string> identities{};
    std::string passphrase{};
    // A scrypt stanza asking for more work than 2^max_work_factor is refused
    // before any is done (limit_error): a hostile header cannot make a read
    // take minutes. age's default (18) and its usual maximum fit.
    int max_work_factor = 20;
    // Chunks decrypted in parallel; 0 = all cores.
    unsigned threads = 0;
    bool empty() const noexcept { return identities.empty() && passphrase.empty(); }
};

// A new X25519 identity, "AGE-SECRET-KEY-1..." (from libsodium's generator).
std::string generate_identity();
// The recipient "age1..." of an identity. Throws brine::format_error for
// anything else.
std::string recipient_of(std::string_view identity);
// An identity file as age-keygen writes it (created/public-key comments, the
// key); the caller writes it with mode 0600.
std::string identity_file_text(std::string_view identity);
// The identities in an identity file, or the recipients in a recipients
// file: one per line, '#' comments and blank lines skipped. Throws
// brine::io_error / format_error naming the file and line.
std::vector<std::string> read_identity_file(const std::filesystem::path& file);
std::vector<std::string> read_recipients_file(const std::filesystem::path& file);

// The first bytes that tell an age file: "age-encryption.org/" (binary) or
// "-----BEGIN AGE ENCRYPTED FILE-----" (armored). is_encrypted needs at most
// magic_bytes of the file's start.
inline constexpr std::size_t magic_bytes = 34;
bool is_encrypted(std::span<const std::byte> prefix) noexcept;

// ".age" files: the path's last extension.
bool has_age_extension(const std::filesystem::path& p);
// "model.brine.zst.age" -> "model.brine.zst"; other paths unchanged.
std::filesystem::path without_age_extension(const std::filesystem::path& p);

// A sink that encrypts everything written to it into `downstream` as one
// age file: header, then 64 KiB chunks, encrypted on `threads` workers with
// at most threads + 1 batches in flight (constant memory). finish() writes
// the final chunk and then calls downstream.finish(). Throws
// brine::unsupported_error for an empty `encryption` or a bad recipient.
std::unique_ptr<io::sink> encrypting_sink(io::sink& downstream, const encryption& keys);

// A source of the plaintext of the age file `upstream` holds (binary or
// armored). Reads and opens the header at construction (brine::error when
// no identity or passphrase opens it, or the header MAC fails); each chunk
// is authenticated before any of its bytes are returned.
std::unique_ptr<io::source> decrypting_source(io::source& upstream, const decryption& keys);

}  // namespace brine::age
