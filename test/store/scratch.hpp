// A fresh directory per test, removed at the end.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace store_test {

class scratch {
public:
    scratch() {
        static std::atomic<int> n{0};
        path_ = std::filesystem::temp_directory_path() /
                ("brine-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Every entry directory under a cache (name/version/key).
inline std::size_t count_entries(const std::filesystem::path& root) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.path().filename() == "output.brine") ++n;
    return n;
}

}  // namespace store_test
