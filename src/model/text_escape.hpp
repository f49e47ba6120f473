// Backslash escapes for quoted text in messages, paths and printed values:
// \\ \n \r \t, the quote character, and \xHH for other control bytes (and,
// for bytes, everything outside printable ASCII). UTF-8 text passes through.
#pragma once

#include <string>
#include <string_view>

namespace brine::detail {

inline void append_escaped(std::string& out, std::string_view text, char quote, bool escape_non_ascii) {
    constexpr char hex[] = "0123456789abcdef";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (ch == quote) {
                out += '\\';
                out += ch;
            } else if (c < 0x20 || c == 0x7f || (escape_non_ascii && c >= 0x80)) {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
    }
}

}  // namespace brine::detail
