#include "crypto/payload.hpp"
#include "model/byte_order.hpp"

#include "crypto/hkdf.hpp"

#include <brine/error.hpp>

#include <sodium.h>

namespace brine::crypto {
namespace {

using nonce = std::array<unsigned char, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

nonce chunk_nonce(std::uint64_t index, bool last) {
    nonce n{};
    detail::store_be(n.data() + 3, index);  // age: an 11-byte big-endian counter; its top 3 bytes stay 0
    n[11] = last ? 1 : 0;
    return n;
}

bool try_open(const payload_key& key, std::uint64_t index, bool last, std::span<const std::byte> sealed, std::byte* out) {
    const auto n = chunk_nonce(index, last);
    unsigned long long size = 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out), &size, nullptr,
                                                     reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                                                     nullptr, 0, n.data(), key.data()) == 0;
}

std::string chunk_name(std::uint64_t index) { return "age payload chunk " + std::to_string(index); }

}  // namespace

payload_key derive_payload_key(const file_key& fk, std::span<const unsigned char> nonce) {
    payload_key key;
    hkdf_sha256(fk.view(), nonce, "payload", std::span(key.data(), key.size()));
    return key;
}

void seal_chunk(const payload_key& key, std::uint64_t index, bool last, std::span<const std::byte> plain, std::byte* out) {
    const auto n = chunk_nonce(index, last);
    unsigned long long size = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out), &size,
                                              reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nullptr,
                                              0, nullptr, n.data(), key.data());
}

std::size_t open_chunk(const payload_key& key, std::uint64_t index, bool last, std::span<const std::byte> sealed,
                       std::byte* out, const chunk_place& where) {
    if (sealed.size() < tag_size || sealed.size() > sealed_chunk_size)
        throw truncated_error({where.file, where.offset}, chunk_name(index) + " is cut short: " +
                                                              std::to_string(sealed.size()) +
                                                              " bytes, less than its 16-byte tag (file truncated)");
    const std::size_t plain = sealed.size() - tag_size;
    if (try_open(key, index, last, sealed, out)) {
        if (last && plain == 0 && index > 0)
            throw corrupt_error({where.file, where.offset}, chunk_name(index) + " is an empty final chunk, which age forbids");
        return plain;
    }
    // Which failure it is, for the message; the plaintext of a chunk that
    // opens under the other flag is wiped, never returned.
    const bool other = plain == chunk_size || !last ? try_open(key, index, !last, sealed, out) : false;
    if (other) sodium_memzero(out, plain);
    if (other && last)
        throw truncated_error({where.file, where.offset + sealed.size()},
                              "the file ends after " + chunk_name(index) +
                                  ", which is not the final chunk: truncated at a chunk boundary");
    if (other)
        throw corrupt_error({where.file, where.offset + sealed.size()},
                            chunk_name(index) + " is the final chunk, but data follows it (appended)");
    throw corrupt_error({where.file, where.offset},
                        chunk_name(index) + " fails authentication: tampered, reordered or truncated" +
                            (last ? " (it is the last in the file)" : ""));
}

}  // namespace brine::crypto
