// The store suite's file checks (scratch files and directories:
// ../common/files.hpp).
#pragma once

#include "../common/files.hpp"

#include <cstddef>
#include <filesystem>
#include <string>

namespace brine::test {

// Files in `dir` whose name contains `part` (left-over temporaries).
inline int files_containing(const std::filesystem::path& dir, const std::string& part) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().find(part) != std::string::npos) ++n;
    return n;
}

// Every entry directory under a memoization cache (name/version/key).
inline std::size_t count_entries(const std::filesystem::path& root) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.path().filename() == "output.brine") ++n;
    return n;
}

}  // namespace brine::test
