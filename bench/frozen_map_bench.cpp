// brine::frozen_map against LMDB, tinycdb, marisa-trie (+ a value array) and
// a std::unordered_map loaded from a brine file (issue 13, docs/performance.md).
//
//   frozen_map_bench [--keys N] [--workload u64|f32x64] [--lookups M]
//                    [--engines brine,lmdb,cdb,marisa,unordered] [--dir D]
//                    [--processes P]   (then P readers at once: private and shared memory)
//
// Keys are 16-byte strings "k%015llu" of the even numbers below 2N (so they
// come sorted, which LMDB's MDB_APPEND bulk load needs; misses are the odd
// numbers in between); values are a uint64 or float32[64]. Each
// engine builds, then opens and looks up in a fresh child process, so the
// peak resident set and the private memory are its own. Lookups pick random
// keys: hits and misses spread over the whole key space. Cold lookups run after
// posix_fadvise(DONTNEED) on the files. Prints one markdown table row per
// engine.
#include "measure.hpp"

#include <brine/brine.hpp>

#include <cdb.h>
#include <lmdb.h>
#include <marisa.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

struct config {
    std::uint64_t keys = 1'000'000;
    std::uint64_t lookups = 1'000'000;
    bool arrays = false;  // f32x64 values instead of u64
    std::string dir = "/tmp/brine-frozen-map-bench";
    std::vector<std::string> engines = {"brine", "lmdb", "cdb", "marisa", "unordered"};
    int processes = 0;  // > 0: the sharing run (issue 13 section 5) after the table
};
config cfg;

using vec64 = std::array<float, 64>;

struct key16 {
    char bytes[17];
    std::string_view view() const { return {bytes, 16}; }
};
key16 key_of(std::uint64_t i) {  // "k%015llu", without printf's cost in the lookup loops
    key16 k;
    k.bytes[0] = 'k';
    for (int d = 15; d >= 1; --d, i /= 10) k.bytes[d] = static_cast<char>('0' + i % 10);
    k.bytes[16] = 0;
    return k;
}
std::uint64_t value_of(std::uint64_t i) { return i * 2654435761u; }
vec64 vector_of(std::uint64_t i) {
    vec64 v;
    for (std::size_t j = 0; j < v.size(); ++j) v[j] = static_cast<float>(i + j);
    return v;
}

std::string path_for(const std::string& engine) { return cfg.dir + "/" + engine + (cfg.arrays ? ".f32x64" : ".u64"); }

std::uint64_t size_of(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return 0;
    if (S_ISDIR(st.st_mode)) return size_of(path + "/data.mdb");
    // Allocated bytes: LMDB's data file is as long as its (sparse) map size.
    return std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_blocks) * 512);
}

void drop_cache(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return drop_cache(path + "/data.mdb");
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

// A field of /proc/self/smaps_rollup, in KiB ("Anonymous:", "Pss:", "Rss:").
long rollup_kib(const std::string& field) {
    std::ifstream in("/proc/self/smaps_rollup");
    std::string name;
    long kb = 0;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        if (s >> name >> kb && name == field) return kb;
    }
    return 0;
}
long anonymous_kib() { return rollup_kib("Anonymous:"); }

void fsync_path(const std::filesystem::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("fsync " + p.string() + ": " + std::strerror(errno));
    ::close(fd);
}

// One engine: build() and sync(), then in another process open() and the lookups.
struct engine {
    virtual ~engine() = default;
    // Builds the files, leaving them in the page cache.
    virtual void build() = 0;
    // Makes what build() wrote durable: fsync of every file and its directory.
    virtual void sync() {
        for (const auto& f : files()) {
            if (std::filesystem::is_directory(f))
                for (const auto& d : std::filesystem::directory_iterator(f)) fsync_path(d.path());
            fsync_path(f);
            fsync_path(std::filesystem::path(f).parent_path());
        }
    }
    virtual void open() = 0;
    // Looks key i up; returns a checksum of the value (0 for a miss).
    virtual std::uint64_t lookup(std::uint64_t i, int thread) = 0;
    virtual std::vector<std::string> files() = 0;
};

std::uint64_t check(const float* v) { return static_cast<std::uint64_t>(v[0]) + 1; }

// --- brine ----------------------------------------------------------------------
struct brine_engine : engine {
    std::optional<brine::frozen_map> m;
    std::string path = path_for("brine") + ".brinemap";
    void build() override {
        // From scratch, as every engine. sync() then does what the default
        // durable = true would have done before the rename.
        std::filesystem::remove(path);
        brine::frozen_map_builder b(path, {.memory_limit = 256 << 20, .durable = false});
        for (std::uint64_t i = 0; i < cfg.keys; ++i) {
            if (cfg.arrays) b.add(key_of(2 * i).view(), vector_of(i));
            else b.add(key_of(2 * i).view(), value_of(i));
        }
        b.finish();
    }
    void open() override { m = brine::frozen_map::open(path); }
    std::uint64_t lookup(std::uint64_t i, int) override {
        const auto k = key_of(i);
        if (!cfg.arrays) return m->get<std::uint64_t>(k.view()).value_or(0);
        const auto a = m->get<brine::array<const float>>(k.view());
        return a ? check(a->data()) : 0;
    }
    std::vector<std::string> files() override { return {path}; }
};

// --- LMDB: sorted bulk load with MDB_APPEND; readers MDB_RDONLY | MDB_NOTLS ---------
struct lmdb_engine : engine {
    std::string path = path_for("lmdb");
    MDB_env* env = nullptr;
    MDB_dbi dbi{};
    std::vector<MDB_txn*> txns;
    static void ok(int rc, const char* what) {
        if (rc) throw std::runtime_error(std::string("lmdb ") + what + ": " + mdb_strerror(rc));
    }
    void make_env(unsigned flags) {
        ok(mdb_env_create(&env), "env_create");
        const std::size_t value = cfg.arrays ? sizeof(vec64) : 8;
        ok(mdb_env_set_mapsize(env, (cfg.keys * (value + 16 + 64) + (64 << 20)) * 2), "set_mapsize");
        std::filesystem::create_directories(path);
        ok(mdb_env_open(env, path.c_str(), flags, 0644), "env_open");
    }
    void build() override {
        std::filesystem::remove_all(path);
        make_env(MDB_NOSYNC | MDB_WRITEMAP);
        MDB_txn* txn;
        ok(mdb_txn_begin(env, nullptr, 0, &txn), "txn_begin");
        ok(mdb_dbi_open(txn, nullptr, 0, &dbi), "dbi_open");
        for (std::uint64_t i = 0; i < cfg.keys; ++i) {
            auto k = key_of(2 * i);
            const auto u = value_of(i);
            const auto v = vector_of(i);
            MDB_val key{16, k.bytes}, val{cfg.arrays ? sizeof v : 8, cfg.arrays ? (void*)v.data() : (void*)&u};
            ok(mdb_put(txn, dbi, &key, &val, MDB_APPEND), "put");
        }
        ok(mdb_txn_commit(txn), "commit");
    }
    void sync() override {
        ok(mdb_env_sync(env, 1), "env_sync");
        mdb_env_close(env);
        env = nullptr;
    }
    void open() override {
        make_env(MDB_RDONLY | MDB_NOTLS);
        txns.resize(2);
        for (auto& t : txns) ok(mdb_txn_begin(env, nullptr, MDB_RDONLY, &t), "txn_begin");
        ok(mdb_dbi_open(txns[0], nullptr, 0, &dbi), "dbi_open");
    }
    std::uint64_t lookup(std::uint64_t i, int thread) override {
        auto k = key_of(i);
        MDB_val key{16, k.bytes}, val;
        if (mdb_get(txns[static_cast<std::size_t>(thread)], dbi, &key, &val) != 0) return 0;
        if (cfg.arrays) return check(static_cast<const float*>(val.mv_data));
        std::uint64_t u;
        std::memcpy(&u, val.mv_data, 8);
        return u;
    }
    std::vector<std::string> files() override { return {path}; }
};

// --- tinycdb (4 GB limit) -----------------------------------------------------------
struct cdb_engine : engine {
    std::string path = path_for("cdb") + ".cdb";
    std::vector<std::unique_ptr<cdb>> readers;
    void build() override {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
        cdb_make mk;
        cdb_make_start(&mk, fd);
        for (std::uint64_t i = 0; i < cfg.keys; ++i) {
            auto k = key_of(2 * i);
            const auto u = value_of(i);
            const auto v = vector_of(i);
            if (cdb_make_add(&mk, k.bytes, 16, cfg.arrays ? (const void*)v.data() : (const void*)&u, cfg.arrays ? sizeof v : 8) != 0)
                throw std::runtime_error("cdb_make_add failed (over 4 GB?)");
        }
        if (cdb_make_finish(&mk) != 0) throw std::runtime_error("cdb_make_finish failed");
        ::close(fd);
    }
    void open() override {
        for (int t = 0; t < 2; ++t) {
            readers.push_back(std::make_unique<cdb>());
            if (cdb_init(readers.back().get(), ::open(path.c_str(), O_RDONLY)) != 0) throw std::runtime_error("cdb_init");
        }
    }
    std::uint64_t lookup(std::uint64_t i, int thread) override {
        auto k = key_of(i);
        auto* c = readers[static_cast<std::size_t>(thread)].get();
        if (cdb_find(c, k.bytes, 16) <= 0) return 0;
        const void* p = cdb_getdata(c);
        if (cfg.arrays) return check(static_cast<const float*>(p));
        std::uint64_t u;
        std::memcpy(&u, p, 8);
        return u;
    }
    std::vector<std::string> files() override { return {path}; }
};

// --- marisa-trie: key -> id, plus a value array indexed by id -------------------------
struct marisa_engine : engine {
    std::string trie_path = path_for("marisa") + ".trie", values_path = path_for("marisa") + ".values";
    marisa::Trie trie;
    const std::byte* values = nullptr;
    std::size_t value_size = cfg.arrays ? sizeof(vec64) : 8;
    void build() override {
        marisa::Keyset keys;
        for (std::uint64_t i = 0; i < cfg.keys; ++i) keys.push_back(key_of(2 * i).bytes, 16);
        trie.build(keys);
        trie.save(trie_path.c_str());
        std::vector<std::byte> out(cfg.keys * value_size);
        marisa::Agent agent;
        for (std::uint64_t i = 0; i < cfg.keys; ++i) {
            auto k = key_of(2 * i);
            agent.set_query(k.bytes, 16);
            trie.lookup(agent);
            const auto id = agent.key().id();
            const auto u = value_of(i);
            const auto v = vector_of(i);
            std::memcpy(out.data() + id * value_size, cfg.arrays ? (const void*)v.data() : (const void*)&u, value_size);
        }
        std::ofstream(values_path, std::ios::binary).write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    }
    void open() override {
        trie.mmap(trie_path.c_str());
        const int fd = ::open(values_path.c_str(), O_RDONLY);
        values = static_cast<const std::byte*>(::mmap(nullptr, cfg.keys * value_size, PROT_READ, MAP_SHARED, fd, 0));
        ::close(fd);
    }
    std::uint64_t lookup(std::uint64_t i, int) override {
        thread_local marisa::Agent agent;
        auto k = key_of(i);
        agent.set_query(k.bytes, 16);
        if (!trie.lookup(agent)) return 0;
        const auto* p = values + agent.key().id() * value_size;
        if (cfg.arrays) return check(reinterpret_cast<const float*>(p));
        std::uint64_t u;
        std::memcpy(&u, p, 8);
        return u;
    }
    std::vector<std::string> files() override { return {trie_path, values_path}; }
};

// --- std::unordered_map, loaded whole from a brine file: the load-everything baseline ---
struct unordered_engine : engine {
    std::string path = path_for("unordered") + ".brine";
    std::unordered_map<std::string, std::uint64_t> u64;
    std::unordered_map<std::string, std::vector<float>> f32;
    void build() override {
        if (cfg.arrays) {
            std::unordered_map<std::string, std::vector<float>> m;
            for (std::uint64_t i = 0; i < cfg.keys; ++i) {
                const auto v = vector_of(i);
                m.emplace(std::string(key_of(2 * i).view()), std::vector<float>(v.begin(), v.end()));
            }
            brine::dump(m, path, {.durable = false});
        } else {
            std::unordered_map<std::string, std::uint64_t> m;
            for (std::uint64_t i = 0; i < cfg.keys; ++i) m.emplace(std::string(key_of(2 * i).view()), value_of(i));
            brine::dump(m, path, {.durable = false});
        }
    }
    void open() override {
        if (cfg.arrays) f32 = brine::load<decltype(f32)>(path);
        else u64 = brine::load<decltype(u64)>(path);
    }
    std::uint64_t lookup(std::uint64_t i, int) override {
        const auto k = key_of(i);
        const std::string key(k.view());
        if (cfg.arrays) {
            auto it = f32.find(key);
            return it == f32.end() ? 0 : check(it->second.data());
        }
        auto it = u64.find(key);
        return it == u64.end() ? 0 : it->second;
    }
    std::vector<std::string> files() override { return {path}; }
};

std::unique_ptr<engine> make(const std::string& name) {
    if (name == "brine") return std::make_unique<brine_engine>();
    if (name == "lmdb") return std::make_unique<lmdb_engine>();
    if (name == "cdb") return std::make_unique<cdb_engine>();
    if (name == "marisa") return std::make_unique<marisa_engine>();
    if (name == "unordered") return std::make_unique<unordered_engine>();
    throw std::runtime_error("unknown engine " + name);
}

// Runs `work` in a child; returns what it printed.
std::string in_child(const std::function<std::string()>& work) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = work();
        } catch (const std::exception& e) {
            out = std::string("error: ") + e.what();
        }
        (void)!::write(fds[1], out.data(), out.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return out;
}

// Lookups per second over `threads` threads, each doing cfg.lookups / threads.
double rate(engine& e, int threads, bool hits, std::uint64_t count, std::atomic<std::uint64_t>& sink) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            std::mt19937_64 rng(static_cast<unsigned>(t + 1) * (hits ? 7 : 13));
            std::uint64_t sum = 0;
            for (std::uint64_t i = 0; i < count / static_cast<std::uint64_t>(threads); ++i) {
                // Stored keys are the even numbers, misses the odd ones in between:
                // a miss costs what it costs in the middle of the key space.
                const auto k = rng() % cfg.keys * 2 + (hits ? 0 : 1);
                sum += e.lookup(k, t);
            }
            sink += sum;
        });
    for (auto& th : pool) th.join();
    return static_cast<double>(count) / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string measure(const std::string& name) {
    char row[512];
    const auto built = in_child([&] {
        auto e = make(name);
        bench::measurement m;
        const auto t0 = std::chrono::steady_clock::now();
        e->build();
        const double built_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        e->sync();
        m.stop();
        char out[128];
        std::snprintf(out, sizeof out, "%.2f %.2f %.0f", built_s, m.seconds(), static_cast<double>(bench::status_kib("VmHWM")) / 1024);
        return std::string(out);
    });
    if (built.rfind("error", 0) == 0) return "| " + name + " | " + built + " |";
    auto probe = make(name);
    std::uint64_t bytes = 0;
    for (const auto& f : probe->files()) bytes += size_of(f);
    const auto used = in_child([&] {
        auto e = make(name);
        for (const auto& f : e->files()) drop_cache(f);
        auto t0 = std::chrono::steady_clock::now();
        e->open();
        const double cold_open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        {  // again, with the header pages in the cache: what opening costs a worker
            auto again = make(name);
            t0 = std::chrono::steady_clock::now();
            again->open();
        }
        const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::atomic<std::uint64_t> sink{0};
        const double cold = rate(*e, 1, true, std::min<std::uint64_t>(cfg.lookups / 10, 20000), sink);
        const double hit1 = rate(*e, 1, true, cfg.lookups, sink), miss1 = rate(*e, 1, false, cfg.lookups, sink);
        const double hit2 = rate(*e, 2, true, cfg.lookups, sink), miss2 = rate(*e, 2, false, cfg.lookups, sink);
        char out[256];
        std::snprintf(out, sizeof out, "%.3f %.3f %.2f %.2f %.2f %.2f %.3f %.1f %llu", open_ms, cold_open_ms, hit1 / 1e6, miss1 / 1e6, hit2 / 1e6,
                      miss2 / 1e6, cold / 1e6, static_cast<double>(anonymous_kib()) / 1024, static_cast<unsigned long long>(sink.load() % 1000));
        return std::string(out);
    });
    double build_s = 0, durable_s = 0, build_mib = 0, open_ms = 0, cold_open_ms = 0, h1 = 0, m1 = 0, h2 = 0, m2 = 0, cold = 0, anon = 0;
    std::istringstream(built) >> build_s >> durable_s >> build_mib;
    if (used.rfind("error", 0) == 0) return "| " + name + " | " + used + " |";
    std::istringstream(used) >> open_ms >> cold_open_ms >> h1 >> m1 >> h2 >> m2 >> cold >> anon;
    std::snprintf(row, sizeof row, "| %s | %.2f | %.2f | %.0f | %.1f | %.3f | %.1f | %.2f | %.2f | %.2f | %.2f | %.3f | %.1f |", name.c_str(), build_s,
                  durable_s, build_mib, static_cast<double>(bytes) / (1 << 20), open_ms, cold_open_ms, h1, m1, h2, m2, cold, anon);
    return row;
}

// The sharing run: `processes` readers of the file built above, at once.
// Each opens it, looks up random keys, then waits until all are done, so
// that Pss (each shared page divided among the processes mapping it) is
// measured with every reader alive.
std::string share(const std::string& name) {
    const int n = cfg.processes;
    std::vector<int> reports(n), go(n);
    std::vector<pid_t> pids;
    const auto t0 = std::chrono::steady_clock::now();
    for (int p = 0; p < n; ++p) {
        int up[2], down[2];
        if (::pipe(up) != 0 || ::pipe(down) != 0) throw std::runtime_error("pipe");
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(up[0]);
            ::close(down[1]);
            auto e = make(name);
            e->open();
            std::mt19937_64 rng(static_cast<unsigned>(p) * 31 + 5);
            std::uint64_t sum = 0;
            for (std::uint64_t i = 0; i < cfg.lookups; ++i) sum += e->lookup(rng() % cfg.keys * 2, 0);
            char c = static_cast<char>('0' + sum % 2);
            (void)!::write(up[1], &c, 1);   // done
            (void)!::read(down[0], &c, 1);  // everyone is done
            char out[128];
            const int len = std::snprintf(out, sizeof out, "%ld %ld %ld", rollup_kib("Anonymous:"), rollup_kib("Rss:"), rollup_kib("Pss:"));
            (void)!::write(up[1], out, static_cast<std::size_t>(len));
            ::_exit(0);
        }
        ::close(up[1]);
        ::close(down[0]);
        reports[static_cast<std::size_t>(p)] = up[0];
        go[static_cast<std::size_t>(p)] = down[1];
        pids.push_back(pid);
    }
    char c;
    for (int fd : reports) (void)!::read(fd, &c, 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (int fd : go) (void)!::write(fd, "g", 1);
    long anon_max = 0, rss_max = 0, pss_sum = 0;
    for (int fd : reports) {
        char buf[128] = {};
        std::size_t got = 0;
        for (ssize_t r; (r = ::read(fd, buf + got, sizeof buf - 1 - got)) > 0;) got += static_cast<std::size_t>(r);
        long anon = 0, rss = 0, pss = 0;
        std::istringstream(buf) >> anon >> rss >> pss;
        anon_max = std::max(anon_max, anon);
        rss_max = std::max(rss_max, rss);
        pss_sum += pss;
        ::close(fd);
    }
    for (int fd : go) ::close(fd);
    for (auto pid : pids) ::waitpid(pid, nullptr, 0);
    std::uint64_t bytes = 0;
    for (const auto& f : make(name)->files()) bytes += size_of(f);
    char row[256];
    std::snprintf(row, sizeof row, "| %s | %.0f | %.2f M | %.1f | %.0f | %.0f |", name.c_str(), static_cast<double>(bytes) / (1 << 20),
                  static_cast<double>(cfg.lookups) * n / seconds / 1e6, anon_max / 1024.0, rss_max / 1024.0, pss_sum / 1024.0);
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--keys") cfg.keys = std::stoull(v);
        else if (a == "--lookups") cfg.lookups = std::stoull(v);
        else if (a == "--workload") cfg.arrays = v == "f32x64";
        else if (a == "--dir") cfg.dir = v;
        else if (a == "--processes") cfg.processes = std::stoi(v);
        else if (a == "--engines") {
            cfg.engines.clear();
            std::istringstream s(v);
            for (std::string e; std::getline(s, e, ',');) cfg.engines.push_back(e);
        } else {
            std::cerr << "unknown option " << a << '\n';
            return 2;
        }
    }
    std::filesystem::create_directories(cfg.dir);
    std::cout << "keys " << cfg.keys << ", values " << (cfg.arrays ? "float32[64]" : "uint64") << ", " << cfg.lookups
              << " lookups per measurement\n\n"
              << "| engine | build s | + fsync s | build peak MiB | size MiB | open ms | cold open ms | hit M/s 1t | miss M/s 1t | hit M/s 2t | miss M/s 2t | cold hit M/s | reader anon MiB |\n"
              << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& e : cfg.engines) std::cout << measure(e) << std::endl;
    if (cfg.processes > 0) {
        std::cout << "\nSharing: " << cfg.processes << " processes, each " << cfg.lookups
                  << " random hits, measured while all are alive\n\n"
                  << "| engine | file MiB | lookups/s, all processes | anon MiB per process (max) | Rss MiB per process (max) | Pss MiB, sum of all |\n"
                  << "|---|---|---|---|---|---|\n";
        for (const auto& e : cfg.engines) std::cout << share(e) << std::endl;
    }
}
