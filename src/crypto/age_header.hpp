// The textual header of an age file (age-encryption.org/v1, age.md
// "Header"): the version line, recipient stanzas, and the MAC line.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace brine::crypto {

inline constexpr std::string_view age_version_line = "age-encryption.org/v1\n";
// Longer headers are refused: no real header comes close (a stanza per
// recipient is about 110 bytes), and the reader buffers the header whole.
inline constexpr std::size_t max_header_size = 1u << 20;

struct stanza {
    std::vector<std::string> args;  // args[0] is the type: "X25519", "scrypt"...
    std::vector<unsigned char> body;
};

struct age_header {
    std::vector<stanza> stanzas;
    std::array<unsigned char, 32> mac{};
    std::size_t mac_input_size = 0;  // bytes from the start through "---": what the MAC covers
    std::size_t size = 0;            // the whole header, through the MAC line's line feed
};

// Parses the header at the start of `bytes`. nullopt when `bytes` ends
// before the header does (read more and call again). Throws
// brine::format_error naming `name` and the offset of what is malformed.
std::optional<age_header> parse_age_header(std::span<const std::byte> bytes, const std::string& name);

// The header text for `stanzas`, through "---" (without the MAC).
std::string format_age_header(const std::vector<stanza>& stanzas);

}  // namespace brine::crypto
