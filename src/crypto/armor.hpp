// age's ASCII armor (age.md "ASCII armor"): strict PEM, label "AGE
// ENCRYPTED FILE", padded base64 in 64-column lines. Read only: brine writes
// binary age files.
#pragma once

#include <brine/io/source.hpp>

#include <memory>
#include <span>
#include <string_view>

namespace brine::crypto {

inline constexpr std::string_view armor_begin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view armor_end = "-----END AGE ENCRYPTED FILE-----";

// The binary age file inside the armored one `upstream` holds (which starts
// at the BEGIN line). Non-canonical armor is a brine::format_error naming the
// line; whitespace after the END line is allowed, anything else is not.
std::unique_ptr<io::source> dearmoring_source(io::source& upstream);

}  // namespace brine::crypto
