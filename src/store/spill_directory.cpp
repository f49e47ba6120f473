#include "store/spill_directory.hpp"
#include "store/spill_segment.hpp"

#include <brine/error.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

namespace brine::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* marker_name = "STORE";
constexpr const char* lock_name = "LOCK";
constexpr const char* temp_prefix = "brine-spill-";

[[noreturn]] void fail(const fs::path& p, const std::string& what, int err) {
    throw io_error({p.string(), std::nullopt}, what + ": " + std::strerror(err));
}

// persist flag from the marker, or -1 when there is no readable marker.
int marker_persist(const fs::path& dir) {
    std::ifstream in(dir / marker_name);
    std::string magic, persist_word;
    int version = 0, persist = -1;
    if (!std::getline(in, magic) || magic.rfind("brine spill store ", 0) != 0) return -1;
    version = std::atoi(magic.c_str() + 18);
    if (version != 1 || !(in >> persist_word >> persist) || persist_word != "persist" || (persist != 0 && persist != 1)) return -1;
    return persist;
}

// True when no process holds the directory's lock (its writer is gone).
bool lock_is_free(const fs::path& dir) {
    const int fd = ::open((dir / lock_name).c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT;
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);  // also releases the lock we just took
    return free;
}

fs::path temp_root() {
    const char* t = std::getenv("TMPDIR");
    return t && *t ? fs::path(t) : fs::path("/tmp");
}

// Private directories of crashed processes: a marker saying persist 0 and a
// lock nobody holds. The marker is written after the lock is taken, so a
// directory being created right now is never taken for a stale one.
void remove_stale_temporaries(const fs::path& root) {
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.rfind(temp_prefix, 0) != 0 || !it->is_directory(ec)) continue;
        if (marker_persist(it->path()) == 0 && lock_is_free(it->path())) fs::remove_all(it->path(), ec);
    }
}

}  // namespace

bool spill_directory::holds_store(const fs::path& dir) { return marker_persist(dir) >= 0; }

spill_directory::spill_directory(const spill_options& o) : persist_(o.persist), read_only_(o.read_only) {
    if (o.directory.empty()) {
        if (o.persist || o.read_only)
            throw error({"<spill store>", std::nullopt}, "persist = true and read_only = true need spill_options::directory");
        const auto root = temp_root();
        remove_stale_temporaries(root);
        auto pattern = (root / (std::string(temp_prefix) + "XXXXXX")).string();
        if (!::mkdtemp(pattern.data())) fail(root, "cannot create a private spill directory", errno);
        path_ = pattern;
    } else {
        path_ = o.directory;
        if (read_only_) {
            if (!holds_store(path_))
                throw format_error({path_.string(), std::nullopt}, "not a spill store (no readable STORE marker file)");
            return;  // readers take no lock: they run alongside the writer
        }
        std::error_code ec;
        fs::create_directories(path_, ec);
        if (ec) throw io_error({path_.string(), std::nullopt}, "cannot create the spill directory: " + ec.message());
    }
    lock();
    try {
        adopt();
    } catch (...) {
        ::close(lock_fd_);  // no destructor runs for a constructor that throws
        throw;
    }
}

void spill_directory::adopt() {
    const int existing = marker_persist(path_);
    if (existing == 1 && !persist_)
        throw error({path_.string(), std::nullopt},
                    "holds a persistent spill store; open it with persist = true (or remove it) rather than with persist = false, "
                    "which would delete it");
    if (existing == 0) remove_own_files();  // a crashed temporary store: its lock was free
    if (existing != int(persist_)) {
        std::ofstream out(path_ / marker_name, std::ios::trunc);
        out << "brine spill store 1\npersist " << int(persist_) << "\n";
        out.close();
        if (!out) throw io_error({(path_ / marker_name).string(), std::nullopt}, "cannot write the store marker");
        if (persist_) sync();
    }
}

void spill_directory::lock() {
    const auto lock_path = path_ / lock_name;
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) fail(lock_path, "cannot open the lock file", errno);
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        std::string pid;
        char buf[32] = {};
        if (::pread(lock_fd_, buf, sizeof buf - 1, 0) > 0) pid = buf;
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
        ::close(lock_fd_);
        lock_fd_ = -1;
        if (err != EWOULDBLOCK) fail(lock_path, "cannot lock", err);
        throw io_error({path_.string(), std::nullopt},
                       "spill store is already open for writing" + (pid.empty() ? std::string() : " by process " + pid) +
                           " (lock file " + lock_path.string() + "); only one writer at a time, open it with read_only = true to read it");
    }
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        fail(lock_path, "cannot write the lock file", errno);
}

void spill_directory::remove_own_files() const {
    std::error_code ec;
    for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (segment_id_from_name(name) || name.rfind("seg-", 0) == 0) fs::remove(it->path(), ec);
    }
}

void spill_directory::sync() const {
    const int dfd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) fail(path_, "cannot open the directory to sync it", errno);
    const int r = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    if (r != 0) fail(path_, "directory fsync failed", err);
}

spill_directory::~spill_directory() {
    if (!read_only_ && !persist_) {
        std::error_code ec;
        remove_own_files();
        fs::remove(path_ / marker_name, ec);
        fs::remove(path_ / lock_name, ec);
        fs::remove(path_, ec);  // only when empty: files not ours stay
    }
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace brine::store
