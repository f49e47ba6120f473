// Files, scratch directories and the codec list, for every test suite: one
// definition of each, in the one helper namespace brine::test.
#pragma once

#include <brine/codec/codec.hpp>

#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <atomic>
#include <system_error>
#include <vector>

namespace brine::test {

inline std::vector<std::byte> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    const std::string s{std::istreambuf_iterator<char>(in), {}};
    std::vector<std::byte> out(s.size());
    if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());  // memcpy(nullptr, ...) is UB even for 0 bytes
    return out;
}

inline void write_file(const std::filesystem::path& p, std::span<const std::byte> data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// This test process's directory, <tmp>/brine-test-<pid>, created on first
// use. Left in place at exit unless a suite calls remove_scratch_root()
// (children forked by a test must not remove their parent's files).
inline const std::filesystem::path& scratch_root() {
    static const auto root = [] {
        auto d = std::filesystem::temp_directory_path() / ("brine-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return root;
}
inline void remove_scratch_root() {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_root(), ignored);
}

// A file name in the scratch root.
inline std::filesystem::path scratch(const std::string& file) { return scratch_root() / file; }

// A subdirectory of the scratch root, emptied first.
inline std::filesystem::path scratch_dir(const std::string& name) {
    const auto dir = scratch_root() / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// A fresh directory of its own, removed with the object.
class fresh_dir {
public:
    fresh_dir() {
        static std::atomic<int> counter{0};
        path_ = scratch_root() / ("dir-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~fresh_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    fresh_dir(const fresh_dir&) = delete;
    fresh_dir& operator=(const fresh_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// The compressing codecs this build has (brine::codecs(), not none).
inline std::vector<codec_id> all_codecs() {
    std::vector<codec_id> ids;
    for (const auto& c : codecs())
        if (c.id != codec_id::none) ids.push_back(c.id);
    return ids;
}

}  // namespace brine::test
