#include "crypto/base64.hpp"

#include <sodium.h>

namespace brine::crypto {

std::string base64_encode(std::span<const unsigned char> data) {
    constexpr int variant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
    out.pop_back();  // libsodium's terminating NUL
    return out;
}

std::optional<std::vector<unsigned char>> base64_decode(std::string_view text) {
    std::vector<unsigned char> out(text.size() * 3 / 4 + 1);
    std::size_t n = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(n);
    // Canonical: the unused low bits of the last character are zero, which
    // re-encoding shows.
    if (base64_encode(out) != text) return std::nullopt;
    return out;
}

}  // namespace brine::crypto
