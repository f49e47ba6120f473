// Shared by the crypto tests: in-memory encryption and decryption through
// the age sink and source, and the codec suite's files and temp dirs.
#pragma once

#include "../codec/helpers.hpp"

#include <brine/crypto/age.hpp>
#include <brine/io/memory.hpp>

namespace brine::test {

// Fast scrypt for tests that are not about the work factor.
inline constexpr int test_work_factor = 10;

inline bytes age_encrypt(std::span<const std::byte> plain, age::encryption keys) {
    io::memory_sink out;
    auto enc = age::encrypting_sink(out, keys);
    // Uneven pieces, as a serializer writes.
    std::size_t pos = 0, piece = 1;
    while (pos < plain.size()) {
        const std::size_t n = std::min(piece, plain.size() - pos);
        enc->write(plain.subspan(pos, n));
        pos += n;
        piece = piece * 5 + 3;
    }
    enc->finish();
    const auto b = out.bytes();
    return bytes(b.begin(), b.end());
}

inline bytes age_decrypt(std::span<const std::byte> sealed, const age::decryption& keys) {
    io::memory_source in(sealed);
    auto dec = age::decrypting_source(in, keys);
    bytes out;
    std::vector<std::byte> buf(100'000);
    while (const auto n = dec->read(buf)) out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

inline std::string shell_quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace brine::test
