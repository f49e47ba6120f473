#include <brine/error.hpp>
#include <brine/io/file.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brine::io {

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& what, int err) {
    throw io_error({file, std::nullopt}, what + ": " + std::strerror(err));
}

int open_or_throw(const std::filesystem::path& path, int flags, const char* what) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
    if (fd < 0) fail(path.string(), what, errno);
    return fd;
}

std::uint64_t size_of(int fd, const std::string& name) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail(name, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) throw io_error({name, std::nullopt}, "is a directory, expected a file");
    return static_cast<std::uint64_t>(st.st_size);
}

// Where the temporary file goes, and whose entry the rename changes.
std::filesystem::path directory_of(const std::filesystem::path& target) {
    return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

void write_all(int fd, const std::byte* p, std::size_t n, const std::string& name) {
    while (n) {
        const auto w = ::write(fd, p, std::min<std::size_t>(n, std::size_t{1} << 30));
        if (w < 0) {
            if (errno == EINTR) continue;
            fail(name, "write failed", errno);
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}

}  // namespace

file_source::file_source(const std::filesystem::path& path)
    : fd_(open_or_throw(path, O_RDONLY, "cannot open for reading")), name_(path.string()) {
    try {
        size_ = size_of(fd_, name_);
    } catch (...) {
        ::close(fd_);
        throw;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    // Read-ahead matters for large files only; a small one saves the call.
    if (size_ >= (1u << 20)) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

file_source::~file_source() {
    if (fd_ >= 0) ::close(fd_);
}

std::size_t file_source::read(std::span<std::byte> dst) {
    std::size_t done = 0;
    while (done < dst.size()) {
        const auto r = ::pread(fd_, dst.data() + done, std::min<std::size_t>(dst.size() - done, std::size_t{1} << 30),
                               static_cast<off_t>(pos_));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw io_error({name_, pos_}, std::string("read failed: ") + std::strerror(errno));
        }
        if (r == 0) break;
        done += static_cast<std::size_t>(r);
        pos_ += static_cast<std::uint64_t>(r);
    }
    return done;
}

std::uint64_t file_source::skip(std::uint64_t n) {
    const auto k = std::min(n, size_ - std::min(pos_, size_));
    pos_ += k;
    return k;
}

void file_source::seek(std::uint64_t offset) { pos_ = std::min(offset, size_); }

void file_source::read_at(std::uint64_t offset, std::span<std::byte> dst) const {
    std::size_t done = 0;
    while (done < dst.size()) {
        const auto r = ::pread(fd_, dst.data() + done, dst.size() - done, static_cast<off_t>(offset + done));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw io_error({name_, offset + done}, std::string("read failed: ") + std::strerror(errno));
        if (r == 0) throw truncated_error({name_, offset + done}, "unexpected end of file");
        done += static_cast<std::size_t>(r);
    }
}

atomic_file_sink::atomic_file_sink(const std::filesystem::path& target, bool durable)
    : target_(target), durable_(durable) {
    const auto dir = directory_of(target_);
    std::random_device rd;
    for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(rd()));
        temp_ = dir / (target_.filename().string() + ".tmp-" + suffix);
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0 && errno != EEXIST) fail(target_.string(), "cannot create temporary file " + temp_.string(), errno);
    }
    if (fd_ < 0) fail(target_.string(), "cannot create a unique temporary file", EEXIST);
    buffer_.reserve(std::size_t{1} << 20);
}

atomic_file_sink::~atomic_file_sink() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(temp_.c_str());
    }
}

void atomic_file_sink::flush_buffer() {
    write_through(buffer_);
    buffer_.clear();
}

// Writes, then starts the disk writing back every few MiB as the dump goes:
// the disk works while the dump does, and finish()'s fsync only waits for
// the last part instead of the whole file.
void atomic_file_sink::write_through(std::span<const std::byte> bytes) {
    write_all(fd_, bytes.data(), bytes.size(), target_.string());
    written_ += bytes.size();
    constexpr std::uint64_t writeback_step = 8u << 20;
#ifdef SYNC_FILE_RANGE_WRITE
    if (durable_ && written_ - writeback_started_ >= writeback_step) {
        ::sync_file_range(fd_, static_cast<off_t>(writeback_started_), static_cast<off_t>(written_ - writeback_started_),
                          SYNC_FILE_RANGE_WRITE);  // a hint: finish() fsyncs regardless
        writeback_started_ = written_;
    }
#endif
}

void atomic_file_sink::write(std::span<const std::byte> bytes) {
    if (fd_ < 0) throw io_error({target_.string(), std::nullopt}, "write after finish");
    // Small writes are gathered; large ones go straight to the kernel.
    if (buffer_.size() + bytes.size() > buffer_.capacity()) flush_buffer();
    if (bytes.size() >= buffer_.capacity()) write_through(bytes);
    else buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void atomic_file_sink::finish() {
    if (fd_ < 0) return;
    flush_buffer();
    // Make the new bytes durable before the name points at them, so a crash
    // leaves either the old file or the complete new one.
    if (durable_ && ::fsync(fd_) != 0) fail(target_.string(), "fsync failed", errno);
    // Keep the target's permissions when replacing it.
    struct stat st {};
    if (::stat(target_.c_str(), &st) == 0) ::fchmod(fd_, st.st_mode & 07777);
    else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd_, 0666 & ~mask);
    }
    if (::close(fd_) != 0) {
        fd_ = -1;
        ::unlink(temp_.c_str());
        fail(target_.string(), "close failed", errno);
    }
    fd_ = -1;
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp_.c_str());
        fail(target_.string(), "cannot rename " + temp_.string() + " over the target", err);
    }
    if (!durable_) return;
    int dfd = ::open(directory_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

mapped_file::mapped_file(const std::filesystem::path& path, mmap_mode mode) : name_(path.string()) {
    const bool write_through = mode == mmap_mode::read_write;
    int fd = open_or_throw(path, write_through ? O_RDWR : O_RDONLY, write_through ? "cannot open for read_write mapping" : "cannot open for mapping");
    std::uint64_t size = 0;
    try {
        size = size_of(fd, name_);
    } catch (...) {
        ::close(fd);
        throw;
    }
    const bool writable = mode == mmap_mode::read_write || mode == mmap_mode::copy_on_write;
    const int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
    const int flags = mode == mmap_mode::copy_on_write ? MAP_PRIVATE : MAP_SHARED;
    void* p = size ? ::mmap(nullptr, size, prot, flags, fd, 0) : nullptr;
    const int err = errno;
    ::close(fd);  // the mapping keeps the file alive
    if (p == MAP_FAILED) fail(name_, "mmap failed", err);
    std::shared_ptr<const void> owner(p, [size](const void* q) {
        if (q) ::munmap(const_cast<void*>(q), size);
    });
    map_ = {std::move(owner), {static_cast<const std::byte*>(p), static_cast<std::size_t>(size)}, writable, write_through};
}

}  // namespace brine::io
