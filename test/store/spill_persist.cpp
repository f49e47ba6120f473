// Persistence: flush and reopen, the lock file, read-only opens, removal of
// temporary stores (and of those a crash left), and SIGKILL.
#include "spill_test.hpp"

#include <chrono>
#include <csignal>
#include <thread>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace brine::test;

namespace {
using vec_map = brine::spill_map<std::string, std::vector<std::int64_t>>;

std::vector<std::int64_t> value_of(int i) { return std::vector<std::int64_t>(static_cast<std::size_t>(i % 50 + 1), i); }
}  // namespace

TEST_CASE("persist: flush and reopen give every entry back, erases and replacements included") {
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = 4096, .directory = dir.path(), .codec = brine::codec_id::zstd, .persist = true};
    {
        vec_map m(o);
        for (int i = 0; i < 300; ++i) m.insert_or_assign("k" + std::to_string(i), value_of(i));
        for (int i = 0; i < 300; i += 3) m.erase("k" + std::to_string(i));
        for (int i = 1; i < 300; i += 3) m.insert_or_assign("k" + std::to_string(i), value_of(i + 1000));
        m.flush();
    }
    vec_map m(o);
    CHECK(m.size() == 200);
    for (int i = 0; i < 300; ++i) {
        auto v = m.get("k" + std::to_string(i));
        if (i % 3 == 0) CHECK(v == nullptr);
        else if (i % 3 == 1) CHECK(*v == value_of(i + 1000));
        else CHECK(*v == value_of(i));
    }
    m.insert_or_assign("new", value_of(1));  // appends after a reopen
    m.flush();
}

TEST_CASE("persist: a key replaced while its old value is being written, then erased, stays erased") {
    // The writer may append the old value's record after the replacement
    // (the record is dead, but on disk): the erase must leave a tombstone,
    // or a reopen brings the old value back. Values of one size through a
    // budget of 8: each put makes the writer take the coldest, key i - 6,
    // and compress it (zstd) while this thread replaces that key with a
    // small value (no wait for room) and erases it. Before the fix (the
    // table forgot a record written for a value replaced meanwhile), keys
    // came back in 2 of 10 runs; the race is not hit in every run.
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = 32 * 1024, .directory = dir.path(), .codec = brine::codec_id::zstd, .persist = true};
    const auto value = [](int i) { return std::vector<std::int64_t>(512, i); };
    constexpr int rounds = 3000, lag = 6;
    {
        vec_map m(o);
        for (int i = 0; i < rounds; ++i) {
            m.insert_or_assign("k" + std::to_string(i), value(i));
            if (i < lag) continue;
            const auto cold = "k" + std::to_string(i - lag);
            std::this_thread::sleep_for(std::chrono::microseconds(i % 50));  // the writer takes the job meanwhile
            m.insert_or_assign(cold, std::vector<std::int64_t>{-i});
            m.erase(cold);
        }
        m.flush();
    }
    vec_map m(o);
    CHECK(m.size() == lag);
    int back = 0;
    for (int i = 0; i < rounds - lag; ++i) back += m.contains("k" + std::to_string(i));
    CHECK(back == 0);
    for (int i = rounds - lag; i < rounds; ++i) {
        const auto v = m.get("k" + std::to_string(i));
        REQUIRE(v != nullptr);
        CHECK(*v == value(i));
    }
}

TEST_CASE("persist: the destructor flushes") {
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = MiB, .directory = dir.path(), .persist = true};
    { vec_map m(o); m.insert_or_assign("a", value_of(3)); }
    vec_map m(o);
    CHECK(*m.get("a") == value_of(3));
}

TEST_CASE("persist: a second writer fails clearly; read-only opens see what was flushed") {
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = MiB, .directory = dir.path(), .persist = true};
    vec_map m(o);
    m.insert_or_assign("a", value_of(1));
    m.flush();
    try {
        vec_map second(o);
        FAIL("a second writer opened the store");
    } catch (const brine::io_error& e) {
        CHECK(std::string(e.what()).find("already open for writing by process " + std::to_string(::getpid())) != std::string::npos);
    }
    auto ro = o;
    ro.read_only = true;
    vec_map reader(ro);
    CHECK(*reader.get("a") == value_of(1));
    CHECK_THROWS_AS(reader.insert_or_assign("b", value_of(2)), brine::unsupported_error);
}

TEST_CASE("persist: persist = false refuses to open a persistent store") {
    fresh_dir dir;
    { vec_map m(brine::spill_options{.directory = dir.path(), .persist = true}); m.insert_or_assign("a", value_of(1)); }
    CHECK_THROWS_AS(vec_map(brine::spill_options{.directory = dir.path(), .persist = false}), brine::error);
    vec_map m(brine::spill_options{.directory = dir.path(), .persist = true});
    CHECK(m.contains("a"));
}

TEST_CASE("persist: a temporary store is removed on destruction, and a crashed one on the next open") {
    fresh_dir dir;
    const auto d = dir / "tmpstore";
    {
        vec_map m(brine::spill_options{.memory_limit = 0, .directory = d});
        m.insert_or_assign("a", value_of(1));
        CHECK(fs::exists(d));
    }
    CHECK(!fs::exists(d));

    // A child crashes (exits without destructors) with a private directory.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        vec_map m(brine::spill_options{.memory_limit = 0});
        m.insert_or_assign("a", value_of(1));
        m.flush();
        const auto p = m.directory().string();
        (void)!::write(fds[1], p.data(), p.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    char buf[4096] = {};
    const auto n = ::read(fds[0], buf, sizeof buf);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(n > 0);
    const fs::path stale(std::string(buf, static_cast<std::size_t>(n)));
    CHECK(fs::exists(stale));
    { vec_map m(brine::spill_options{.memory_limit = 0}); }
    CHECK(!fs::exists(stale));
}

TEST_CASE("persist: after SIGKILL every entry flushed before is readable (20 kills)") {
    fresh_dir dir;
    const brine::spill_options o{.memory_limit = 64 * 1024, .directory = dir.path(), .persist = true};
    int total = 0;
    for (int round = 0; round < 20; ++round) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fds[0]);
            vec_map m(o);
            for (int i = total;; ++i) {
                m.insert_or_assign("k" + std::to_string(i), value_of(i));
                if (i % 7 == 6) {
                    m.flush();
                    const int flushed = i + 1;
                    (void)!::write(fds[1], &flushed, sizeof flushed);
                }
            }
        }
        ::close(fds[1]);
        int flushed = total, got = 0;
        // Kill after a few flushes, at a point that moves from round to round.
        for (int reports = 0; reports < 2 + round % 5 && ::read(fds[0], &got, sizeof got) == sizeof got; ++reports) flushed = got;
        ::usleep(static_cast<useconds_t>(200 * (round % 4)));
        ::kill(pid, SIGKILL);
        while (::read(fds[0], &got, sizeof got) == sizeof got) flushed = got;
        ::close(fds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        vec_map m(o);
        for (int i = 0; i < flushed; ++i) {
            auto v = m.get("k" + std::to_string(i));
            REQUIRE_MESSAGE(v, "round " << round << ": k" << i << " flushed but lost");
            CHECK(*v == value_of(i));
        }
        total = flushed;
    }
    CHECK(total > 20);
}
