#include "store/frozen_map_sorter.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <queue>

#include <fcntl.h>
#include <unistd.h>

namespace brine::store {

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what, int err) {
    throw io_error({name, std::nullopt}, what + ": " + std::strerror(err));
}

// Hashes are uniform: one counting pass on the top 16 bits spreads the pairs
// into buckets of a few each (through a second buffer), then each bucket is
// sorted in cache. Several times faster than one std::sort over the whole.
void sort_pairs(std::vector<hashed_offset>& v) {
    constexpr int bits = 16;
    if (v.size() < (std::size_t{1} << bits)) {
        std::sort(v.begin(), v.end());
        return;
    }
    std::vector<std::size_t> start((std::size_t{1} << bits) + 1);
    for (const auto& p : v) ++start[(p.hash >> (64 - bits)) + 1];
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    std::vector<hashed_offset> out(v.size());
    auto next = start;
    for (const auto& p : v) out[next[p.hash >> (64 - bits)]++] = p;
    for (std::size_t b = 0; b + 1 < start.size(); ++b)
        if (start[b + 1] - start[b] > 1)
            std::sort(out.begin() + static_cast<std::ptrdiff_t>(start[b]), out.begin() + static_cast<std::ptrdiff_t>(start[b + 1]));
    v.swap(out);
}

}  // namespace

frozen_map_sorter::frozen_map_sorter(std::filesystem::path dir, std::uint64_t memory_limit, std::string name)
    : dir_(std::move(dir)), name_(std::move(name)), memory_limit_(std::max<std::uint64_t>(memory_limit, 64 << 10)) {
    // Half the limit: sorting a full buffer takes a second one (sort_pairs).
    capacity_ = static_cast<std::size_t>(memory_limit_ / 2 / sizeof(hashed_offset));
    // Reserved, not touched: the pages become resident only as pairs arrive.
    memory_.reserve(capacity_);
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
    if (memory_.empty()) return;
    if (fd_ < 0) {
        std::string pattern = (dir_ / ".brinemap-spill-XXXXXX").string();
        fd_ = ::mkstemp(pattern.data());
        if (fd_ < 0) fail(name_, "cannot create a spill file in " + dir_.string(), errno);
        ::unlink(pattern.c_str());  // nothing to clean up later, even after a crash
    }
    sort_pairs(memory_);
    write_at(file_end_, memory_.data(), memory_.size() * sizeof(hashed_offset));
    runs_.push_back({file_end_, memory_.size()});
    file_end_ += memory_.size() * sizeof(hashed_offset);
    count_ += memory_.size();
    memory_.clear();
}

void frozen_map_sorter::merge(const std::function<void(const hashed_offset&)>& visit) {
    if (runs_.empty()) {
        sort_pairs(memory_);
        for (const auto& p : memory_) visit(p);
        std::vector<hashed_offset>().swap(memory_);
        return;
    }
    spill();
    std::vector<hashed_offset>().swap(memory_);
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
    while (!heap.empty()) {
        const auto [p, i] = heap.top();
        heap.pop();
        visit(p);
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
}

}  // namespace brine::store
