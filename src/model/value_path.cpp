#include <brine/model/value_path.hpp>

namespace brine {

void append_quoted(std::string& path, std::string_view key) {
    constexpr char hex[] = "0123456789abcdef";
    path += '"';
    for (const char c : key) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': path += "\\\""; break;
        case '\\': path += "\\\\"; break;
        case '\n': path += "\\n"; break;
        case '\r': path += "\\r"; break;
        case '\t': path += "\\t"; break;
        default:
            if (u < 0x20 || u == 0x7f) {
                path += "\\x";
                path += hex[u >> 4];
                path += hex[u & 15];
            } else {
                path += c;  // UTF-8 passes through
            }
        }
    }
    path += '"';
}

std::string quoted_key(std::string_view key) {
    std::string s;
    append_quoted(s, key);
    return s;
}

void append_key_step(std::string& path, std::string_view key) {
    path += '[';
    append_quoted(path, key);
    path += ']';
}

// Appended piece by piece: gcc 12 misreads "[" + std::to_string(...) (-Wrestrict).
void append_index_step(std::string& path, std::uint64_t index) {
    path += '[';
    path += std::to_string(index);
    path += ']';
}

void append_map_step(std::string& path, std::uint64_t pair, bool key) {
    path += "[#";
    path += std::to_string(pair);
    path += key ? "].key" : "]";
}

void append_step(std::string& path, const path_step& step) {
    if (const auto* key = std::get_if<std::string>(&step)) append_key_step(path, *key);
    else append_index_step(path, std::get<std::uint64_t>(step));
}

std::string child_path(std::string parent, const path_step& step) {
    append_step(parent, step);
    return parent;
}

}  // namespace brine
