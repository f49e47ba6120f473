#include "store/frozen_map_sorter.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <future>
#include <queue>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace brine::store {

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what, int err) {
    throw io_error({name, std::nullopt}, what + ": " + std::strerror(err));
}

}  // namespace

frozen_map_sorter::frozen_map_sorter(std::filesystem::path dir, std::uint64_t memory_limit, std::string name)
    : dir_(std::move(dir)), name_(std::move(name)), memory_limit_(std::max<std::uint64_t>(memory_limit, 64 << 10)),
      buckets_(std::size_t{1} << bucket_bits) {
    // The region holds the limit's worth of chunks, at least one per bucket
    // and one more; a run is spilled when the region is full. The two
    // sorted buckets in flight (1/128 of a run each) come on top.
    constexpr std::size_t chunk_bytes = chunk_pairs * sizeof(hashed_offset);
    region_chunks_ = static_cast<std::size_t>(std::max<std::uint64_t>(memory_limit_ / chunk_bytes, buckets_.size() + 1));
}

void frozen_map_sorter::new_chunk(std::size_t b) {
    if (next_chunk_ == region_chunks_) spill();
    if (!region_) region_ = io::buffer::allocate(region_chunks_ * chunk_pairs * sizeof(hashed_offset));
    auto* chunk = reinterpret_cast<hashed_offset*>(region_.data()) + next_chunk_++ * chunk_pairs;
    buckets_[b].chunks.push_back(chunk);
    tail_[b] = chunk;
    end_[b] = chunk + chunk_pairs;
}

std::size_t frozen_map_sorter::pairs_in(std::size_t b) const noexcept {
    const auto& chunks = buckets_[b].chunks;
    if (chunks.empty()) return 0;
    return (chunks.size() - 1) * chunk_pairs + static_cast<std::size_t>(tail_[b] - chunks.back());
}

// Hashes are uniform: the bucket's pairs are spread by the next 8 bits of
// their hash straight into `out`, then each of those ranges (a few hundred
// pairs) is sorted in cache.
void frozen_map_sorter::take_sorted(std::size_t index, std::vector<hashed_offset>& out) {
    auto& b = buckets_[index];
    constexpr int shift = 64 - 2 * bucket_bits;
    constexpr std::size_t ways = std::size_t{1} << bucket_bits;
    auto way = [](const hashed_offset& p) { return static_cast<std::size_t>(p.hash >> shift) & (ways - 1); };
    const auto count = pairs_in(index);
    auto for_each_pair = [&](auto&& f) {
        for (std::size_t c = 0; c < b.chunks.size(); ++c) {
            const auto n = c + 1 == b.chunks.size() ? count - c * chunk_pairs : chunk_pairs;
            for (std::size_t i = 0; i < n; ++i) f(b.chunks[c][i]);
        }
    };
    std::array<std::size_t, ways + 1> start{};
    for_each_pair([&](const hashed_offset& p) { ++start[way(p) + 1]; });
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    out.resize(count);
    auto next = start;
    for_each_pair([&](const hashed_offset& p) { out[next[way(p)]++] = p; });
    for (std::size_t w = 0; w < ways; ++w)
        if (start[w + 1] - start[w] > 1)
            std::sort(out.begin() + static_cast<std::ptrdiff_t>(start[w]), out.begin() + static_cast<std::ptrdiff_t>(start[w + 1]));
    b = bucket{};
    tail_[index] = end_[index] = nullptr;
}

void frozen_map_sorter::for_each_sorted_bucket(const std::function<void(const std::vector<hashed_offset>&)>& each) {
    std::vector<hashed_offset> current, upcoming;
    const bool ahead = std::thread::hardware_concurrency() >= 2 && held_ >= (std::uint64_t{1} << 16);
    take_sorted(0, current);
    for (std::size_t b = 0; b < buckets_.size(); ++b) {
        // Bucket b + 1 is sorted on another thread while bucket b is visited;
        // the two touch different buckets and buffers.
        std::future<void> next;
        if (b + 1 < buckets_.size()) {
            if (ahead) next = std::async(std::launch::async, [&, b] { take_sorted(b + 1, upcoming); });
            else next = std::async(std::launch::deferred, [&, b] { take_sorted(b + 1, upcoming); });
        }
        each(current);
        if (next.valid()) next.get();
        std::swap(current, upcoming);
    }
    held_ = 0;
    next_chunk_ = 0;  // every chunk is free again
}

frozen_map_sorter::~frozen_map_sorter() {
    if (fd_ >= 0) ::close(fd_);
}

void frozen_map_sorter::write_at(std::uint64_t offset, const void* p, std::size_t n) {
    const auto* b = static_cast<const char*>(p);
    while (n) {
        const auto w = ::pwrite(fd_, b, n, static_cast<off_t>(offset));
        if (w < 0) {
            if (errno == EINTR) continue;
            fail(name_, "cannot write the builder's spill file in " + dir_.string(), errno);
        }
        b += w;
        n -= static_cast<std::size_t>(w);
        offset += static_cast<std::uint64_t>(w);
    }
}

void frozen_map_sorter::read_at(std::uint64_t offset, void* p, std::size_t n) const {
    auto* b = static_cast<char*>(p);
    while (n) {
        const auto r = ::pread(fd_, b, n, static_cast<off_t>(offset));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) fail(name_, "cannot read back the builder's spill file", r < 0 ? errno : EIO);
        b += r;
        n -= static_cast<std::size_t>(r);
        offset += static_cast<std::uint64_t>(r);
    }
}

void frozen_map_sorter::spill() {
    if (held_ == 0) return;
    if (fd_ < 0) {
        std::string pattern = (dir_ / ".brinemap-spill-XXXXXX").string();
        fd_ = ::mkstemp(pattern.data());
        if (fd_ < 0) fail(name_, "cannot create a spill file in " + dir_.string(), errno);
        ::unlink(pattern.c_str());  // nothing to clean up later, even after a crash
    }
    const auto n = held_;
    std::uint64_t at = file_end_;
    for_each_sorted_bucket([&](const std::vector<hashed_offset>& sorted) {
        write_at(at, sorted.data(), sorted.size() * sizeof(hashed_offset));
        at += sorted.size() * sizeof(hashed_offset);
    });
    runs_.push_back({file_end_, n});
    file_end_ = at;
    count_ += n;
}

void frozen_map_sorter::merge(const std::function<void(std::span<const hashed_offset>)>& visit) {
    if (runs_.empty()) {
        for_each_sorted_bucket([&](const std::vector<hashed_offset>& sorted) { visit(sorted); });
        region_ = {};
        return;
    }
    spill();
    region_ = {};  // before the read buffers, which take the limit
    // One read buffer per run, together within the memory limit.
    const std::size_t per_run = std::max<std::size_t>(
        4096, static_cast<std::size_t>(memory_limit_ / sizeof(hashed_offset) / runs_.size()));
    struct cursor {
        std::vector<hashed_offset> buf;
        std::size_t pos = 0;
        std::uint64_t next = 0, left = 0;  // file offset and pairs not yet buffered
    };
    std::vector<cursor> cursors(runs_.size());
    auto refill = [&](cursor& c) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(per_run, c.left));
        c.buf.resize(n);
        read_at(c.next, c.buf.data(), n * sizeof(hashed_offset));
        c.next += n * sizeof(hashed_offset);
        c.left -= n;
        c.pos = 0;
    };
    using head = std::pair<hashed_offset, std::size_t>;
    auto later = [](const head& a, const head& b) { return b.first < a.first; };
    std::priority_queue<head, std::vector<head>, decltype(later)> heap(later);
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        cursors[i].next = runs_[i].offset;
        cursors[i].left = runs_[i].count;
        refill(cursors[i]);
        if (!cursors[i].buf.empty()) heap.push({cursors[i].buf[0], i});
    }
    std::vector<hashed_offset> batch;
    batch.reserve(4096);
    while (!heap.empty()) {
        const auto [p, i] = heap.top();
        heap.pop();
        batch.push_back(p);
        if (batch.size() == batch.capacity()) {
            visit(batch);
            batch.clear();
        }
        auto& c = cursors[i];
        if (++c.pos == c.buf.size()) {
            if (c.left == 0) {
                std::vector<hashed_offset>().swap(c.buf);
                continue;
            }
            refill(c);
        }
        heap.push({c.buf[c.pos], i});
    }
    if (!batch.empty()) visit(batch);
}

}  // namespace brine::store
