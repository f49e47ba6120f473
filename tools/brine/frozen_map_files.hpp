// The commands on frozen map files (.brinemap): ls, cat, verify, and convert
// building a map from the dict at the root of another file.
#pragma once

#include "args.hpp"

#include <filesystem>
#include <string>

namespace brine::cli {

// Does the file start with the frozen map magic?
bool is_frozen_map_file(const std::filesystem::path& file);
// OUT names a map: --format frozen_map, or the .brinemap extension.
bool wants_frozen_map(const parsed_args& args, const std::filesystem::path& out);

int ls_frozen_map(const std::string& file, const parsed_args& args);
int cat_frozen_map(const std::string& file, const parsed_args& args);
int verify_frozen_map(const std::string& file);
int convert_to_frozen_map(const std::filesystem::path& in, const std::filesystem::path& out, const parsed_args& args);

}  // namespace brine::cli
