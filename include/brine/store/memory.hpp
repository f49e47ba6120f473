// brine::memory: function results memoized on disk, as joblib.Memory does.
//
//   brine::memory cache("cachedir", {.bytes_limit = 10ull << 30, .mmap = brine::mmap_mode::read_only});
//   auto f = cache.cache("simulate", "v2", &simulate);  // name + version tag
//   auto r = f(args...);                                // computes, or loads the stored result
//
// Layout: cachedir/<name>/<version>/<key>/{output.brine, metadata.brine},
// where <key> is the arguments' key (store/argument_hash.hpp) and
// metadata.brine a memory_entry record. A function's code cannot be hashed
// in C++: the version tag is the contract, change it when the results would
// change (docs/guide.md, "Memoization"). Old versions are left on disk, never
// read, and go under the limits (LRU) like any entry.
//
// Concurrency: results are written to a temporary file and renamed into
// place (io::atomic_file_sink, through brine::dump), so a reader sees a whole
// entry or none. With compute_once, a flock(2) on <key>.lock lets one caller
// compute while the others (threads or processes) wait, then load its result;
// the kernel drops the lock of a process that dies.
#pragma once

#include <brine/api/dump.hpp>
#include <brine/api/load.hpp>
#include <brine/error.hpp>
#include <brine/options.hpp>
#include <brine/serialize.hpp>
#include <brine/store/argument_hash.hpp>
#include <brine/store/memory_entry.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace brine {

// Something wrong with the cache that memory worked around: a corrupt entry
// (treated as a miss and recomputed) or a result it could not store (the
// call still returns it).
struct memory_problem {
    enum class kind { corrupt_entry, store_failed };
    kind what;
    std::filesystem::path path;  // the entry's directory
    std::string message;
};

// Limits on a whole cache directory. nullopt: no limit.
struct size_limits {
    std::optional<std::uint64_t> bytes{};             // total size of the entries
    std::optional<std::uint64_t> items{};             // number of entries
    std::optional<std::chrono::nanoseconds> age{};    // time since an entry was last used
};

struct memory_options {
    // Enforced after every write by evicting the least recently used entries
    // (their recorded last_used, not atime). nullopt: no limit.
    std::optional<std::uint64_t> bytes_limit{};
    std::optional<std::uint64_t> items_limit{};
    std::optional<std::chrono::nanoseconds> age_limit{};
    // How stored results load: read_only maps the arrays of uncompressed
    // results (zero-copy; load brine::array<const T>), falling back to a
    // plain load for a compressed one.
    mmap_mode mmap = mmap_mode::none;
    codec_id codec = codec_id::none;
    // One caller computes a missing result while the others wait for it.
    bool compute_once = false;
    // fsync results before they count as stored (survives a power loss).
    bool durable = false;
    // Told about corrupt entries and failed writes; optional.
    std::function<void(const memory_problem&)> on_problem{};
};

namespace detail {

struct memory_state;

// The disk side of one function's cache (name + version); not a template.
class memo_store {
public:
    memo_store(std::shared_ptr<const memory_state> state, std::string_view name, std::string_view version);

    const std::filesystem::path& directory() const noexcept { return dir_; }
    std::filesystem::path entry_directory(const std::string& key) const { return dir_ / key; }
    std::filesystem::path output_path(const std::string& key) const;
    load_options output_load_options() const;
    dump_options output_dump_options() const;

    // A stored result loaded: records the use.
    void used(const std::string& key) const;
    // A stored result that did not load: reported, removed.
    void corrupt(const std::string& key, const std::string& message) const;
    // The result is in output_path(key)'s place once `write_output` returned:
    // writes the metadata, enforces the limits. Failures are reported, not thrown.
    void store(const std::string& key, const std::function<void(const std::filesystem::path&)>& write_output,
               std::string arguments, double seconds) const;
    bool contains(const std::string& key) const;
    void clear() const;
    bool compute_once() const noexcept;

    // flock(LOCK_EX) on <key>.lock, released on destruction.
    class compute_lock {
    public:
        explicit compute_lock(const std::filesystem::path& path);
        ~compute_lock();
        compute_lock(const compute_lock&) = delete;
        compute_lock& operator=(const compute_lock&) = delete;

    private:
        int fd_ = -1;
    };
    std::unique_ptr<compute_lock> lock(const std::string& key) const;

private:
    void report(memory_problem::kind what, const std::string& key, const std::string& message) const;
    std::shared_ptr<const memory_state> state_;
    std::string name_, version_;
    std::filesystem::path dir_;
};

// The parameter types of a callable, when it has one signature (function
// pointers, lambdas without auto parameters); void otherwise.
template <class F> struct parameters_of { using type = void; };
template <class R, class... P> struct parameters_of<R (*)(P...)> { using type = std::tuple<P...>; };
template <class R, class... P> struct parameters_of<R (*)(P...) noexcept> { using type = std::tuple<P...>; };
template <class C, class R, class... P> struct parameters_of<R (C::*)(P...) const> { using type = std::tuple<P...>; };
template <class C, class R, class... P> struct parameters_of<R (C::*)(P...) const noexcept> { using type = std::tuple<P...>; };
template <class C, class R, class... P> struct parameters_of<R (C::*)(P...)> { using type = std::tuple<P...>; };
template <class C, class R, class... P> struct parameters_of<R (C::*)(P...) noexcept> { using type = std::tuple<P...>; };
template <class F>
    requires requires { &F::operator(); }
struct parameters_of<F> : parameters_of<decltype(&F::operator())> {};

// An argument as the function will see it: hashed as its parameter type, so
// f(3) and f(3L) share a key when f takes a long. Binds without a copy when
// the types already agree.
template <class Param, class Arg> decltype(auto) as_parameter(const Arg& a) {
    using P = std::remove_cvref_t<Param>;
    if constexpr (!std::is_same_v<P, Arg> && std::is_convertible_v<const Arg&, P> && saveable<P>) return P(a);
    else return (a);
}

template <class Params, class... Args> std::string key_of(const Args&... args) {
    if constexpr (!std::is_void_v<Params>) {
        if constexpr (std::tuple_size_v<Params> == sizeof...(Args)) {
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
                return argument_key(as_parameter<std::tuple_element_t<I, Params>>(args)...);
            }(std::index_sequence_for<Args...>{});
        } else {
            return argument_key(args...);
        }
    } else {
        return argument_key(args...);
    }
}

std::string describe_argument(std::string_view type, std::string_view text);
std::string join_arguments(std::initializer_list<std::string> parts);
template <class T> std::string argument_summary(const T& v) {
    std::string type;
    if constexpr (serializable<T>) type = brine::type_name<T>();
    std::string text;
    if constexpr (std::is_arithmetic_v<T>) text = std::to_string(v);
    else if constexpr (std::is_convertible_v<const T&, std::string_view>) text.append(1, '"').append(std::string_view(v)).append(1, '"');
    return describe_argument(type, text);
}

}  // namespace detail

// A memoized function: call it as the function itself.
template <class F>
class memoized {
public:
    memoized(std::shared_ptr<const detail::memo_store> store, F fn) : store_(std::move(store)), fn_(std::move(fn)) {}

    // Calls from several threads share the function object (as they would
    // calling it directly): a mutable one must be safe for that.
    template <class... Args>
        requires std::invocable<F&, const Args&...>
    auto operator()(const Args&... args) const {
        using R = std::remove_cvref_t<std::invoke_result_t<F&, const Args&...>>;
        static_assert(serializable<R> && std::default_initializable<R>,
                      "a memoized function returns a type brine can save and load");
        const std::string key = key_of(args...);
        if (auto hit = try_load<R>(key)) return std::move(*hit);
        std::unique_ptr<detail::memo_store::compute_lock> lock;
        if (store_->compute_once()) {
            lock = store_->lock(key);
            if (auto hit = try_load<R>(key)) return std::move(*hit);  // computed while we waited
        }
        const auto start = std::chrono::steady_clock::now();
        R result = std::invoke(fn_, args...);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        store_->store(
            key, [&](const std::filesystem::path& p) { brine::dump(result, p, store_->output_dump_options()); },
            detail::join_arguments({detail::argument_summary(args)...}), took.count());
        return result;
    }

    // Whether a result for these arguments is stored (not loaded or verified).
    template <class... Args> bool contains(const Args&... args) const { return store_->contains(key_of(args...)); }
    // Removes this function's results for this version.
    void clear() const { store_->clear(); }
    // The argument key f(args...) is stored under.
    template <class... Args> std::string key_of(const Args&... args) const {
        return detail::key_of<typename detail::parameters_of<F>::type>(args...);
    }
    const std::filesystem::path& directory() const noexcept { return store_->directory(); }

private:
    template <class R> std::optional<R> try_load(const std::string& key) const {
        const auto path = store_->output_path(key);
        try {
            const auto options = store_->output_load_options();
            std::optional<R> r;
            try {
                r.emplace(brine::load<R>(path, options));
            } catch (const type_error&) {
                // A read-only mapping cannot become a mutable brine::array<T>:
                // such a result loads into memory instead of never hitting.
                if (options.mmap == mmap_mode::none) throw;
                r.emplace(brine::load<R>(path));
            }
            store_->used(key);
            return r;
        } catch (const error& e) {
            std::error_code ec;
            if (!std::filesystem::exists(path, ec)) return std::nullopt;  // not stored: a plain miss
            // Truncated, corrupt, or a type the stored result cannot load as:
            // a miss, never wrong data.
            store_->corrupt(key, e.what());
            return std::nullopt;
        }
    }

    std::shared_ptr<const detail::memo_store> store_;
    mutable F fn_;
};

class memory {
public:
    explicit memory(std::filesystem::path directory, memory_options options = {});

    // `version` is the contract for the function's code: results stored under
    // another version are never returned. Names and versions are single path
    // components (no '/', not "." or "..", at most 200 bytes).
    template <class F>
    memoized<std::decay_t<F>> cache(std::string_view name, std::string_view version, F&& fn) const {
        return {std::make_shared<const detail::memo_store>(state_, name, version), std::forward<F>(fn)};
    }

    // Evicts least recently used entries until every limit holds; entries
    // unused for longer than limits.age go whatever the others say.
    void reduce_size(const size_limits& limits) const;
    // Removes every stored result of every function.
    void clear() const;
    const std::filesystem::path& location() const noexcept;

private:
    std::shared_ptr<const detail::memory_state> state_;
};

}  // namespace brine
