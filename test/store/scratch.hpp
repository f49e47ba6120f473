// Scratch files for the store suite: scratch(name) is a file in one directory
// per test process; scratch_dir is a fresh directory per test, removed at its end.
#pragma once

#include <atomic>
#include <cstddef>
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

class scratch_dir {
public:
    scratch_dir() {
        static std::atomic<int> n{0};
        path_ = std::filesystem::temp_directory_path() /
                ("brine-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

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

}  // namespace store_test
