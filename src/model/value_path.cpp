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
    switch (step.what) {
    case path_step::kind::key: append_key_step(path, step.key); break;
    case path_step::kind::index: append_index_step(path, step.index); break;
    case path_step::kind::map_value: append_map_step(path, step.index, false); break;
    }
}

std::string path_text(std::string root, std::span<const path_step> steps) {
    for (const auto& step : steps) append_step(root, step);
    return root;
}

}  // namespace brine
