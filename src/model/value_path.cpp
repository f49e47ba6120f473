#include <brine/model/value_path.hpp>

#include "model/text_escape.hpp"

namespace brine {

void append_quoted(std::string& path, std::string_view key) {
    path += '"';
    detail::append_escaped(path, key, '"', false);
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
