// Eight processes look up random keys in one map: each keeps its private
// memory small (/proc/PID/smaps_rollup); the map's pages are the page
// cache's, shared. The readers are fresh processes (this executable started
// again in reader mode), so they measure what a worker really costs, not a
// copy of the test runner's heap. The bench shows the same at 4 GB.
#include "scratch.hpp"
#include "../sanitizers.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

constexpr std::uint64_t key_count = 300000;  // ~15 MB of entries and index

std::string key_of(std::uint64_t i) {
    char key[32];
    std::snprintf(key, sizeof key, "key-%012llu", static_cast<unsigned long long>(i));
    return key;
}

// kB values of smaps_rollup lines, by name ("Private_Dirty", "Anonymous", ...).
std::map<std::string, long> smaps_rollup() {
    std::ifstream in("/proc/self/smaps_rollup");
    std::map<std::string, long> v;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        std::string name;
        long kb = 0;
        if (s >> name >> kb && name.back() == ':') v[name.substr(0, name.size() - 1)] = kb;
    }
    return v;
}

// Reader mode: BRINE_STORE_READER=<map file>:<seed>. Prints
// "<Private_Dirty kB> <Anonymous kB> <hits checked>" and exits before doctest runs.
const bool reader_mode = [] {
    const char* spec = std::getenv("BRINE_STORE_READER");
    if (!spec) return false;
    const std::string s(spec);
    const auto colon = s.rfind(':');
    long report[3] = {-1, -1, -1};
    try {
        auto m = brine::frozen_map::open(s.substr(0, colon));
        std::mt19937_64 rng(std::stoul(s.substr(colon + 1)));
        long found = 0;
        for (int i = 0; i < 100000; ++i) {
            const auto k = rng() % (2 * key_count);
            if (auto v = m.find(key_of(k))) found += v->load<brine::array<const float>>()[0] == float(k);
        }
        const auto after = smaps_rollup();
        report[0] = after.at("Private_Dirty");
        report[1] = after.at("Anonymous");
        report[2] = found;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "reader: %s\n", e.what());
    }
    std::printf("%ld %ld %ld\n", report[0], report[1], report[2]);
    std::fflush(stdout);
    std::_Exit(0);
}();

}  // namespace

TEST_CASE("frozen_map: 8 reader processes keep private memory under 16 MiB each") {
    if (!std::ifstream("/proc/self/smaps_rollup")) {
        MESSAGE("no /proc/self/smaps_rollup: skipped");
        return;
    }
    const auto file = brine::test::scratch("shared.brinemap");
    {
        brine::frozen_map_builder b(file);  // durable: the page cache holds clean pages, as for any map built earlier
        for (std::uint64_t i = 0; i < key_count; ++i) b.add(key_of(i), std::array<float, 8>{float(i)});
        b.finish();
    }
    constexpr int readers = 8;
    std::vector<std::pair<pid_t, int>> running;
    for (int r = 0; r < readers; ++r) {
        int out[2];
        REQUIRE(::pipe(out) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        const std::string env = "BRINE_STORE_READER=" + file.string() + ":" + std::to_string(r);
        std::vector<char*> envp;
        for (char** e = environ; *e; ++e) envp.push_back(*e);
        envp.push_back(const_cast<char*>(env.c_str()));
        envp.push_back(nullptr);
        char self[] = "/proc/self/exe";
        char* argv[] = {self, nullptr};
        pid_t pid = -1;
        REQUIRE(posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv, envp.data()) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        running.emplace_back(pid, out[0]);
    }
    for (int r = 0; r < readers; ++r) {
        std::string text;
        char buf[256];
        for (ssize_t n; (n = ::read(running[r].second, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
        ::close(running[r].second);
        int status = 0;
        ::waitpid(running[r].first, &status, 0);
        long private_dirty = -1, anonymous = -1, found = -1;
        std::istringstream(text) >> private_dirty >> anonymous >> found;
        INFO("reader " << r << ": Private_Dirty " << private_dirty << " kB, Anonymous " << anonymous << " kB");
        CHECK(found > 40000);  // about half the keys are hits, each value checked
        CHECK(private_dirty >= 0);
        if (!test_support::under_address_sanitizer) {
            CHECK(private_dirty < 16 * 1024);
            CHECK(anonymous < 16 * 1024);
        }
    }
}
