#include "io/random_access.hpp"

#include <brine/io/file.hpp>
#include <brine/io/memory.hpp>

namespace brine::io {

namespace {

class file_access_impl final : public random_access {
public:
    explicit file_access_impl(std::filesystem::path p) : path_(std::move(p)), size_(file_source(path_).size()) {}
    std::uint64_t size() const override { return size_; }
    std::unique_ptr<source> open_at(std::uint64_t offset) const override {
        auto s = std::make_unique<file_source>(path_);
        s->seek(offset);
        return s;
    }
    std::string name() const override { return path_.string(); }

private:
    std::filesystem::path path_;
    std::uint64_t size_;
};

class memory_access_impl final : public random_access {
public:
    memory_access_impl(mapped_bytes bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {}
    std::uint64_t size() const override { return bytes_.bytes.size(); }
    std::unique_ptr<source> open_at(std::uint64_t offset) const override {
        auto s = std::make_unique<memory_source>(bytes_, name_);
        s->skip(offset);
        return s;
    }
    std::string name() const override { return name_; }

private:
    mapped_bytes bytes_;
    std::string name_;
};

class shared_access_impl final : public random_access {
public:
    explicit shared_access_impl(std::shared_ptr<const random_access> a) : a_(std::move(a)) {}
    std::uint64_t size() const override { return a_->size(); }
    std::unique_ptr<source> open_at(std::uint64_t offset) const override { return a_->open_at(offset); }
    std::string name() const override { return a_->name(); }

private:
    std::shared_ptr<const random_access> a_;
};

}  // namespace

std::unique_ptr<random_access> file_access(const std::filesystem::path& file) { return std::make_unique<file_access_impl>(file); }

std::unique_ptr<random_access> mapped_file_access(const std::filesystem::path& file, mmap_mode mode) {
    // The mapping's bytes hold the mapping itself alive (mapped_bytes::owner).
    const mapped_file map(file, mode);
    return std::make_unique<memory_access_impl>(map.bytes(), map.name());
}

std::unique_ptr<random_access> memory_access(mapped_bytes bytes, std::string name) {
    return std::make_unique<memory_access_impl>(std::move(bytes), std::move(name));
}

std::unique_ptr<random_access> shared_access(std::shared_ptr<const random_access> access) {
    return std::make_unique<shared_access_impl>(std::move(access));
}

}  // namespace brine::io
