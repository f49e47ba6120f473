// The builder's external sort: (hash, offset) pairs are gathered in memory up
// to a limit, then sorted and written as a run to a temporary file; at the
// end the runs are merged. The temporary file is unlinked as soon as it is
// created, so it disappears with the process whatever happens.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace brine::store {

struct hashed_offset {
    std::uint64_t hash;
    std::uint64_t offset;
    friend bool operator<(const hashed_offset& a, const hashed_offset& b) noexcept {
        return a.hash != b.hash ? a.hash < b.hash : a.offset < b.offset;
    }
};

class frozen_map_sorter {
public:
    // `dir` holds the spill file; `name` is the map's, for messages.
    frozen_map_sorter(std::filesystem::path dir, std::uint64_t memory_limit, std::string name);
    ~frozen_map_sorter();
    frozen_map_sorter(const frozen_map_sorter&) = delete;
    frozen_map_sorter& operator=(const frozen_map_sorter&) = delete;

    void add(hashed_offset p) {
        if (memory_.size() == capacity_) spill();
        memory_.push_back(p);
    }
    std::uint64_t count() const noexcept { return count_ + memory_.size(); }
    std::uint64_t runs() const noexcept { return runs_.size(); }
    // Once, after the last add: every pair in (hash, offset) order.
    void merge(const std::function<void(const hashed_offset&)>& visit);

private:
    void spill();
    void write_at(std::uint64_t offset, const void* p, std::size_t n);
    void read_at(std::uint64_t offset, void* p, std::size_t n) const;

    std::filesystem::path dir_;
    std::string name_;
    std::size_t capacity_;
    std::uint64_t memory_limit_;
    std::vector<hashed_offset> memory_;
    struct run {
        std::uint64_t offset, count;
    };
    std::vector<run> runs_;
    std::uint64_t count_ = 0, file_end_ = 0;
    int fd_ = -1;
};

}  // namespace brine::store
