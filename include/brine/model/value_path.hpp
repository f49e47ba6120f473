// Paths that name a value inside a tree, as error messages, `brine ls` and
// entries print them: root["layers"][3]["w"]. A key is quoted, with '"', '\'
// and control characters escaped, so a key holding '[', ']', '/', quotes or a
// newline prints unambiguously. A map's pairs print as [#i] (its value) and
// [#i].key. Every path in libbrine and the CLI goes through these.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brine {

// One step down from a container: a dict key, a position in a list (or an
// object's args), or the value of a map's pair.
struct path_step {
    enum class kind : std::uint8_t { key, index, map_value };
    kind what = kind::index;
    std::string key;          // kind::key
    std::uint64_t index = 0;  // kind::index: the position; kind::map_value: the pair

    static path_step dict_key(std::string k) { return {kind::key, std::move(k), 0}; }
    static path_step position(std::uint64_t i) { return {kind::index, {}, i}; }
    static path_step map_pair(std::uint64_t i) { return {kind::map_value, {}, i}; }
};

// "key", escaped: \" \\ \n \r \t, other control bytes as \xHH.
void append_quoted(std::string& path, std::string_view key);
std::string quoted_key(std::string_view key);
// ["key"], with the key escaped.
void append_key_step(std::string& path, std::string_view key);
// [i]
void append_index_step(std::string& path, std::uint64_t index);
// A map's pair i: [#i] for its value, [#i].key for its key.
void append_map_step(std::string& path, std::uint64_t pair, bool key);
void append_step(std::string& path, const path_step& step);

// `root` followed by every step: root["layers"][3].
std::string path_text(std::string root, std::span<const path_step> steps);

}  // namespace brine
