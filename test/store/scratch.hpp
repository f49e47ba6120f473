// Scratch files for the store suite: one directory per test process.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace store_test {

inline std::filesystem::path scratch(const std::string& file) {
    static const auto dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("brine-store-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir / file;
}

// Files in `dir` whose name contains `part` (left-over temporaries).
inline int files_containing(const std::filesystem::path& dir, const std::string& part) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().find(part) != std::string::npos) ++n;
    return n;
}

}  // namespace store_test
