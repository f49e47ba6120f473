#include "store/spill_segment_file.hpp"
#include "store/spill_segment.hpp"

#include <brine/error.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brine::store {

namespace {

bool disk_full(int err) { return err == ENOSPC || err == EDQUOT || err == EFBIG; }

}  // namespace

segment_file::segment_file(std::filesystem::path path, std::uint32_t id, int fd, std::uint64_t size)
    : path_(std::move(path)), id_(id), fd_(fd), size_(size) {}

segment_file::~segment_file() { ::close(fd_); }

std::shared_ptr<segment_file> segment_file::create(const std::filesystem::path& dir, std::uint32_t id) {
    auto path = dir / segment_file_name(id);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        if (disk_full(err)) throw capacity_error({path.string(), std::nullopt}, std::string("cannot create a segment: ") + std::strerror(err));
        throw io_error({path.string(), std::nullopt}, std::string("cannot create a segment: ") + std::strerror(err));
    }
    std::shared_ptr<segment_file> f(new segment_file(path, id, fd, 0));
    const auto header = encode_segment_header(id);
    try {
        f->write_at(0, header);
        f->flush_pending();
    } catch (...) {
        f->unlink();
        throw;
    }
    f->size_ = header.size();
    return f;
}

std::shared_ptr<segment_file> segment_file::open(const std::filesystem::path& dir, std::uint32_t id, bool writable) {
    auto path = dir / segment_file_name(id);
    const int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) throw io_error({path.string(), std::nullopt}, std::string("cannot open the segment: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw io_error({path.string(), std::nullopt}, std::string("cannot stat the segment: ") + std::strerror(err));
    }
    return std::shared_ptr<segment_file>(new segment_file(path, id, fd, static_cast<std::uint64_t>(st.st_size)));
}

void segment_file::write_at(std::uint64_t offset, std::span<const std::byte> bytes) {
    const auto end = offset + bytes.size();
    const bool inside = !pending_.empty() && offset >= pending_base_ && offset <= pending_base_ + pending_.size();
    if (!inside || end - pending_base_ > pending_capacity) {
        flush_pending();
        if (bytes.size() >= pending_capacity / 2) return write_through(offset, bytes);
        pending_base_ = offset;
    }
    const auto at = static_cast<std::size_t>(offset - pending_base_);
    if (end - pending_base_ > pending_.size()) pending_.resize(static_cast<std::size_t>(end - pending_base_));
    if (!bytes.empty()) std::memcpy(pending_.data() + at, bytes.data(), bytes.size());  // an empty span's data() may be null
}

void segment_file::flush_pending() {
    if (pending_.empty()) return;
    write_through(pending_base_, pending_);  // on failure the bytes stay pending; truncate() drops them
    pending_.clear();
}

void segment_file::seal() {
    flush_pending();
    std::vector<std::byte>().swap(pending_);
}

void segment_file::write_through(std::uint64_t offset, std::span<const std::byte> bytes) const {
    const auto* p = bytes.data();
    auto n = bytes.size();
    while (n) {
        const auto w = ::pwrite(fd_, p, std::min<std::size_t>(n, std::size_t{1} << 30), static_cast<off_t>(offset));
        if (w < 0) {
            const int err = errno;
            if (err == EINTR) continue;
            if (disk_full(err))
                throw capacity_error({name(), offset}, std::string("the disk is full (") + std::strerror(err) + ") writing " +
                                                           std::to_string(n) + " bytes of a spilled value");
            throw io_error({name(), offset}, std::string("write failed: ") + std::strerror(err));
        }
        p += w;
        n -= static_cast<std::size_t>(w);
        offset += static_cast<std::uint64_t>(w);
    }
}

void segment_file::read_at(std::uint64_t offset, std::span<std::byte> dst) const {
    std::size_t done = 0;
    while (done < dst.size()) {
        const auto r = ::pread(fd_, dst.data() + done, std::min<std::size_t>(dst.size() - done, std::size_t{1} << 30),
                               static_cast<off_t>(offset + done));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw io_error({name(), offset + done}, std::string("read failed: ") + std::strerror(errno));
        }
        if (r == 0) throw truncated_error({name(), offset + done}, "the segment ends inside a record");
        done += static_cast<std::size_t>(r);
    }
}

record_view expect_record(const segment_file& file, std::span<const std::byte> prefix, std::uint64_t offset, std::uint64_t length,
                          std::string_view key) {
    auto p = parse_record_prefix(prefix, offset, offset + length);
    if (!p.record) throw corrupt_error({file.name(), offset}, "a spill record of " + std::to_string(length) + " bytes: " + p.problem);
    if (p.record->end != offset + length || p.record->key != key)
        throw corrupt_error({file.name(), offset}, "the record of " + std::to_string(length) + " bytes the store's table names, for the same key");
    return std::move(*p.record);
}

record_view read_record_header(const segment_file& file, std::uint64_t offset, std::uint64_t length, std::string_view key) {
    std::vector<std::byte> prefix(static_cast<std::size_t>(std::min<std::uint64_t>(length, record_header_size + key.size())));
    file.read_at(offset, prefix);
    return expect_record(file, prefix, offset, length, key);
}

io::mapped_bytes segment_file::map(std::uint64_t offset, std::uint64_t length) const {
    static const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const auto start = offset / page * page;
    const auto span_length = static_cast<std::size_t>(offset - start + length);
    void* p = ::mmap(nullptr, span_length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd_, static_cast<off_t>(start));
    if (p == MAP_FAILED) throw io_error({name(), offset}, std::string("cannot map a spilled value: ") + std::strerror(errno));
    std::shared_ptr<const void> owner(p, [span_length](const void* q) { ::munmap(const_cast<void*>(q), span_length); });
    const auto* data = static_cast<const std::byte*>(p) + (offset - start);
    return {std::move(owner), {data, static_cast<std::size_t>(length)}, true, false};
}

io::mapped_bytes segment_file::map_all() const {
    if (size_ == 0) return {std::make_shared<int>(0), {}, false, false};
    void* p = ::mmap(nullptr, static_cast<std::size_t>(size_), PROT_READ, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) throw io_error({name(), std::nullopt}, std::string("cannot map the segment: ") + std::strerror(errno));
    const auto n = static_cast<std::size_t>(size_);
    std::shared_ptr<const void> owner(p, [n](const void* q) { ::munmap(const_cast<void*>(q), n); });
    return {std::move(owner), {static_cast<const std::byte*>(p), n}, false, false};
}

void segment_file::truncate(std::uint64_t length) {
    if (!pending_.empty()) {
        if (length <= pending_base_) pending_.clear();
        else pending_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(pending_.size(), length - pending_base_)));
    }
    const auto on_disk = pending_.empty() ? length : pending_base_;
    if (::ftruncate(fd_, static_cast<off_t>(on_disk)) != 0)
        throw io_error({name(), length}, std::string("cannot truncate the segment: ") + std::strerror(errno));
    size_ = length;
}

void segment_file::sync() {
    flush_pending();
    if (::fdatasync(fd_) != 0) {
        const int err = errno;
        if (disk_full(err)) throw capacity_error({name(), std::nullopt}, std::string("fdatasync failed, the disk is full: ") + std::strerror(err));
        throw io_error({name(), std::nullopt}, std::string("fdatasync failed: ") + std::strerror(err));
    }
}

void segment_file::unlink() const { ::unlink(path_.c_str()); }

}  // namespace brine::store
