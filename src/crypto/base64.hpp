// The base64 of age headers: standard alphabet, no padding, canonical only
// (age.md: decoders MUST reject non-canonical encodings), through libsodium.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::crypto {

std::string base64_encode(std::span<const unsigned char> data);
// nullopt unless `text` is the canonical unpadded encoding of some bytes.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text);

}  // namespace brine::crypto
