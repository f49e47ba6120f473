// Bech32 (BIP 173), the text form of age's keys: "age1..." recipients and
// "AGE-SECRET-KEY-1..." identities. Like age, no 90-character limit.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::crypto {

struct bech32_data {
    std::string hrp;                  // lower case
    std::vector<unsigned char> data;  // the 8-bit payload
};

// `data` as bech32 with human-readable part `hrp`, in lower case.
std::string bech32_encode(std::string_view hrp, std::span<const unsigned char> data);
// nullopt for anything that is not a valid bech32 string (mixed case, bad
// checksum, bad characters, non-zero padding).
std::optional<bech32_data> bech32_decode(std::string_view text);

}  // namespace brine::crypto
