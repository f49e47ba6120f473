// The text conversions pickles need: protocol 2 stores bytes as latin-1
// text (`_codecs.encode(text, 'latin1')`), Python 2 str arrives as latin-1,
// and str must be valid UTF-8 before it becomes a brine string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace brine::interop {

// Each byte as the code point of the same number, UTF-8 encoded.
std::string latin1_to_utf8(std::string_view bytes);
// The inverse; nullopt when the text holds a code point above U+00FF or is
// not valid UTF-8.
std::optional<std::string> utf8_to_latin1(std::string_view text);
// Well-formed UTF-8 as Python's decoder with 'surrogatepass' accepts it
// (pickle writes lone surrogates that way).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace brine::interop
