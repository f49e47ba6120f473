#include <brine/store/memory.hpp>
#include <brine/store/memory_entry.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace brine {

namespace fs = std::filesystem;

namespace detail {

struct memory_state {
    fs::path root;
    memory_options options;
};

}  // namespace detail

namespace {

constexpr const char* output_name = "output.brine";
constexpr const char* metadata_name = "metadata.brine";
// A hit rewrites last_used only when it is older than this: LRU needs no
// finer clock, and most hits then cost no write.
constexpr double use_resolution_seconds = 1.0;

// The entries whose use this process recorded lately, so that a hit on them
// needs no stat() of their metadata: a fixed table of (path hash, time),
// where a collision only costs the stat again.
class recent_uses {
public:
    bool recorded_since(const fs::path& meta, double since) {
        const auto h = std::hash<std::string>{}(meta.native());
        std::lock_guard lock(mutex_);
        const auto& s = slots_[h % slots_.size()];
        return s.hash == h && s.time >= since;
    }
    void record(const fs::path& meta, double time) {
        const auto h = std::hash<std::string>{}(meta.native());
        std::lock_guard lock(mutex_);
        slots_[h % slots_.size()] = {h, time};
    }

private:
    struct slot {
        std::size_t hash = 0;
        double time = 0;
    };
    std::mutex mutex_;
    std::array<slot, 1024> slots_{};
};

recent_uses& uses_recorded_here() {
    static recent_uses table;
    return table;
}

dump_options metadata_dump_options(bool durable) {
    dump_options o;
    o.codec = codec_id::none;
    o.durable = durable;
    return o;
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double unix_time(fs::file_time_type t) {
    return std::chrono::duration<double>(std::chrono::file_clock::to_sys(t).time_since_epoch()).count();
}

bool hidden(const fs::path& p) {
    const auto n = p.filename().string();
    return n.empty() || n[0] == '.';
}

// Moved aside first (one atomic rename: readers see the whole entry or
// nothing), then deleted. Someone else removing it first is not an error.
void remove_atomically(const fs::path& p) {
    static std::atomic<std::uint64_t> counter{0};
    const auto trash = p.parent_path() / (".trash-" + p.filename().string() + "-" + std::to_string(::getpid()) +
                                          "-" + std::to_string(counter++));
    std::error_code ec;
    fs::rename(p, trash, ec);
    if (!ec) fs::remove_all(trash, ec);
}

void check_component(const fs::path& root, std::string_view what, std::string_view s) {
    const bool ok = !s.empty() && s.size() <= 200 && s.find('/') == std::string_view::npos &&
                    s.find('\0') == std::string_view::npos && s[0] != '.';
    if (!ok)
        throw error({root.string(), std::nullopt},
                    "memory: the " + std::string(what) + " \"" + std::string(s) +
                        "\" is not a single path component (1 to 200 bytes, no '/', not starting with '.')");
}

std::uint64_t file_size_or_zero(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

struct scanned_entry {
    fs::path dir;
    std::uint64_t bytes = 0;
    double last_used = 0;
};

// Every entry under root (name/version/key), with leftovers of crashed
// writers and removers cleaned up on the way.
std::vector<scanned_entry> scan(const fs::path& root) {
    std::vector<scanned_entry> out;
    const double now = unix_now();
    std::error_code ec;
    auto subdirs = [&](const fs::path& d, auto&& each) {
        std::error_code e;
        for (fs::directory_iterator it(d, e), end; !e && it != end; it.increment(e)) {
            const auto& p = it->path();
            if (hidden(p)) {
                if (p.filename().string().starts_with(".trash-")) fs::remove_all(p, e), e.clear();
                continue;
            }
            if (it->is_directory(e)) each(p);
            e.clear();
        }
    };
    subdirs(root, [&](const fs::path& name) {
        subdirs(name, [&](const fs::path& version) {
            subdirs(version, [&](const fs::path& key) {
                scanned_entry s{key};
                std::error_code e;
                for (fs::directory_iterator it(key, e), end; !e && it != end; it.increment(e)) {
                    const auto n = it->path().filename().string();
                    // A temporary of a writer that died (atomic_file_sink names them so).
                    if (n.find(".tmp-") != std::string::npos && now - unix_time(it->last_write_time(e)) > 3600) {
                        fs::remove(it->path(), e);
                        continue;
                    }
                    s.bytes += file_size_or_zero(it->path());
                }
                try {
                    s.last_used = load<memory_entry>(key / metadata_name).last_used;
                } catch (const error&) {  // being written, or damaged: its directory's time
                    s.last_used = unix_time(fs::last_write_time(key, e));
                }
                out.push_back(std::move(s));
            });
        });
    });
    (void)ec;
    return out;
}

void enforce(const fs::path& root, const size_limits& limits) {
    if (!limits.bytes && !limits.items && !limits.age) return;
    auto entries = scan(root);
    const double now = unix_now();
    std::sort(entries.begin(), entries.end(),
              [](const scanned_entry& a, const scanned_entry& b) { return a.last_used < b.last_used; });
    std::uint64_t bytes = 0;
    for (const auto& e : entries) bytes += e.bytes;
    std::uint64_t items = entries.size();
    const double max_age = limits.age ? std::chrono::duration<double>(*limits.age).count() : 0;
    for (const auto& e : entries) {  // oldest use first
        const bool too_old = limits.age && now - e.last_used > max_age;
        const bool too_many = limits.items && items > *limits.items;
        const bool too_big = limits.bytes && bytes > *limits.bytes;
        if (!too_old && !too_many && !too_big) continue;
        remove_atomically(e.dir);
        bytes -= e.bytes;
        --items;
    }
}

}  // namespace

namespace detail {

std::string describe_argument(std::string_view type, std::string_view text) {
    constexpr std::size_t longest = 40;
    std::string t(text.substr(0, longest));
    if (text.size() > longest) t += "...";
    if (type.empty()) return t.empty() ? "?" : t;
    return t.empty() ? std::string(type) : std::string(type) + " " + t;
}

std::string join_arguments(std::initializer_list<std::string> parts) {
    constexpr std::size_t longest = 200;
    std::string s = "(";
    for (const auto& p : parts) s += (s.size() > 1 ? ", " : "") + p;
    if (s.size() > longest) s = s.substr(0, longest) + "...";
    return s + ")";
}

memo_store::memo_store(std::shared_ptr<const memory_state> state, std::string_view name, std::string_view version)
    : state_(std::move(state)), name_(name), version_(version) {
    check_component(state_->root, "function name", name);
    check_component(state_->root, "version tag", version);
    dir_ = state_->root / name_ / version_;
}

fs::path memo_store::output_path(const std::string& key) const { return dir_ / key / output_name; }

load_options memo_store::output_load_options() const {
    load_options o;
    // A compressed result cannot be mapped: it loads instead.
    o.mmap = state_->options.mmap == mmap_mode::read_only ? mmap_mode::read_only_or_load : state_->options.mmap;
    return o;
}

dump_options memo_store::output_dump_options() const {
    dump_options o;
    o.codec = state_->options.codec;
    o.durable = state_->options.durable;
    return o;
}

bool memo_store::compute_once() const noexcept { return state_->options.compute_once; }

void memo_store::report(memory_problem::kind what, const std::string& key, const std::string& message) const {
    if (state_->options.on_problem) state_->options.on_problem({what, key.empty() ? dir_ : dir_ / key, message});
}

void memo_store::used(const std::string& key) const {
    const auto meta_path = dir_ / key / metadata_name;
    const double now = unix_now();
    if (uses_recorded_here().recorded_since(meta_path, now - use_resolution_seconds)) return;
    // The record is rewritten at each recorded use, so its mtime is its
    // last_used: one stat() tells whether this use needs recording.
    std::error_code ec;
    const auto written = fs::last_write_time(meta_path, ec);
    if (!ec && now - unix_time(written) < use_resolution_seconds) {
        uses_recorded_here().record(meta_path, unix_time(written));
        return;
    }
    memory_entry meta;
    try {
        meta = load<memory_entry>(meta_path);
        if (now - meta.last_used < use_resolution_seconds) return;
    } catch (const error&) {  // written by nobody yet, or damaged: a new record
        meta = {name_, version_, key, "", 0, now, now, file_size_or_zero(output_path(key))};
    }
    meta.last_used = now;
    try {
        dump(meta, meta_path, metadata_dump_options(false));
        uses_recorded_here().record(meta_path, now);
    } catch (const error& e) {
        report(memory_problem::kind::store_failed, key, e.what());
    }
}

void memo_store::corrupt(const std::string& key, const std::string& message) const {
    report(memory_problem::kind::corrupt_entry, key, message);
    remove_atomically(dir_ / key);
}

void memo_store::store(const std::string& key, const std::function<void(const fs::path&)>& write_output,
                       std::string arguments, double seconds) const {
    const auto entry = dir_ / key;
    std::string failure;
    // Twice: a concurrent eviction may move the directory away mid-write.
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            fs::create_directories(entry);
            write_output(entry / output_name);
            const double now = unix_now();
            const memory_entry meta{name_, version_, key, arguments, seconds, now, now,
                                    file_size_or_zero(entry / output_name)};
            dump(meta, entry / metadata_name, metadata_dump_options(state_->options.durable));
            failure.clear();
            break;
        } catch (const std::exception& e) {  // brine::error or std::filesystem_error
            failure = e.what();
        }
    }
    if (!failure.empty()) return report(memory_problem::kind::store_failed, key, failure);
    const auto& o = state_->options;
    try {
        enforce(state_->root, {o.bytes_limit, o.items_limit, o.age_limit});
    } catch (const std::exception& e) {
        report(memory_problem::kind::store_failed, key, std::string("enforcing the limits: ") + e.what());
    }
}

bool memo_store::contains(const std::string& key) const {
    std::error_code ec;
    return fs::is_regular_file(output_path(key), ec);
}

void memo_store::clear() const { remove_atomically(dir_); }

memo_store::compute_lock::compute_lock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw io_error({path.string(), std::nullopt}, std::string("cannot open the lock: ") + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw io_error({path.string(), std::nullopt}, std::string("cannot lock: ") + std::strerror(err));
    }
}

memo_store::compute_lock::~compute_lock() { ::close(fd_); }  // closing drops the flock

std::unique_ptr<memo_store::compute_lock> memo_store::lock(const std::string& key) const {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    return std::make_unique<compute_lock>(dir_ / (key + ".lock"));
}

}  // namespace detail

memory::memory(fs::path directory, memory_options options) {
    if (options.codec != codec_id::none &&
        (options.mmap == mmap_mode::read_write || options.mmap == mmap_mode::copy_on_write))
        throw unsupported_error({directory.string(), std::nullopt},
                                "memory: compressed results cannot be mapped read_write or copy_on_write");
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) throw io_error({directory.string(), std::nullopt}, "memory: cannot create the cache directory: " + ec.message());
    state_ = std::make_shared<const detail::memory_state>(detail::memory_state{std::move(directory), std::move(options)});
}

void memory::reduce_size(const size_limits& limits) const { enforce(state_->root, limits); }

void memory::clear() const {
    std::error_code ec;
    std::vector<fs::path> children;  // listed first: renaming while iterating could list the new names too
    for (fs::directory_iterator it(state_->root, ec), end; !ec && it != end; it.increment(ec))
        children.push_back(it->path());
    for (const auto& p : children) remove_atomically(p);
}

const fs::path& memory::location() const noexcept { return state_->root; }

}  // namespace brine
