// The builder's external sort: (hash, offset) pairs are gathered in memory up
// to a limit, then sorted and written as a run to a temporary file; at the
// end the runs are merged. A map whose pairs fit in the limit is never
// spilled. The temporary file is unlinked as soon as it is
// created, so it disappears with the process whatever happens.
#pragma once

#include <brine/io/buffer.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
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

// Pairs are bucketed by the top 8 bits of their hash as they arrive, in
// chunks, so that sorting is 256 small sorts that stay in cache; with two
// cores, one bucket is sorted while the previous one is visited. The chunks
// are carved from one anonymous mapping of the memory limit: a spill empties
// every bucket, so the next run reuses the same pages, and the mapping is
// given back before the merge takes its read buffers.
class frozen_map_sorter {
public:
    // `dir` holds the spill file; `name` is the map's, for messages.
    frozen_map_sorter(std::filesystem::path dir, std::uint64_t memory_limit, std::string name);
    ~frozen_map_sorter();
    frozen_map_sorter(const frozen_map_sorter&) = delete;
    frozen_map_sorter& operator=(const frozen_map_sorter&) = delete;

    void add(hashed_offset p) {
        const auto b = static_cast<std::size_t>(p.hash >> (64 - bucket_bits));
        if (tail_[b] == end_[b]) new_chunk(b);
        *tail_[b]++ = p;
        ++held_;
    }
    std::uint64_t count() const noexcept { return count_ + held_; }
    std::uint64_t runs() const noexcept { return runs_.size(); }
    // Once, after the last add: every pair in (hash, offset) order, a batch
    // at a time.
    void merge(const std::function<void(std::span<const hashed_offset>)>& visit);

    static constexpr int bucket_bits = 8;
    static constexpr std::size_t chunk_pairs = 2048;  // 32 KiB

private:
    // A bucket's pairs: its chunks, the last one filled up to tail_[b].
    // The tails are kept apart from the chunk lists so that add() touches
    // two small arrays and the chunk it writes to.
    struct bucket {
        std::vector<hashed_offset*> chunks;
    };
    void new_chunk(std::size_t b);
    std::size_t pairs_in(std::size_t b) const noexcept;
    // Empties bucket b into `out`, sorted.
    void take_sorted(std::size_t b, std::vector<hashed_offset>& out);
    // Calls each(sorted pairs of bucket b) for b in order, emptying them.
    void for_each_sorted_bucket(const std::function<void(const std::vector<hashed_offset>&)>& each);
    void spill();
    void write_at(std::uint64_t offset, const void* p, std::size_t n);
    void read_at(std::uint64_t offset, void* p, std::size_t n) const;

    std::filesystem::path dir_;
    std::string name_;
    std::uint64_t memory_limit_;
    std::vector<bucket> buckets_;
    io::buffer region_;  // the chunks; mapped at the first add
    std::size_t region_chunks_ = 0, next_chunk_ = 0;
    std::array<hashed_offset*, std::size_t{1} << bucket_bits> tail_{}, end_{};
    std::uint64_t held_ = 0;
    struct run {
        std::uint64_t offset, count;
    };
    std::vector<run> runs_;
    std::uint64_t count_ = 0, file_end_ = 0;
    int fd_ = -1;
};

}  // namespace brine::store
