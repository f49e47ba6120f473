// Paths that name a value inside a tree, as error messages, `brine ls` and
// entries print them: root["layers"][3]["w"]. A key is quoted, with '"', '\'
// and control characters escaped, so a key holding '[', ']', '/', quotes or a
// newline prints unambiguously. A map's pairs print as [#i] (its value) and
// [#i].key. Every path in libbrine and the CLI goes through these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace brine {

// One step down from a container: a dict key or a position.
using path_step = std::variant<std::string, std::uint64_t>;

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

// `parent` with one step appended.
std::string child_path(std::string parent, const path_step& step);

}  // namespace brine
