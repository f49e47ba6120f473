// brine::memory under concurrent callers: threads and forked processes get
// one consistent result; compute_once computes once; a dead computer's lock
// is recovered.
#include "scratch.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

std::vector<double> slow_result(int x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return std::vector<double>(20000, x * 0.5);
}

// One byte appended per computation: counts them across processes.
void count_computation(const std::filesystem::path& log) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "x", 1) == 1);
    ::close(fd);
}

}  // namespace

TEST_CASE("memory: threads calling f(same args) get one result, computed once with compute_once") {
    for (const bool once : {true, false}) {
        brine::test::fresh_dir dir;
        brine::memory cache(dir.path(), {.compute_once = once});
        std::atomic<int> calls{0};
        auto f = cache.cache("slow", "v1", [&](int x) { ++calls; return slow_result(x); });
        std::vector<std::vector<double>> results(8);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < results.size(); ++i) threads.emplace_back([&, i] { results[i] = f(7); });
        for (auto& t : threads) t.join();
        for (const auto& r : results) CHECK(r == slow_result(7));
        if (once) CHECK(calls == 1);
        else CHECK(calls >= 1);
        CHECK(f(7) == slow_result(7));
        CHECK(brine::test::count_entries(dir.path()) == 1);
    }
}

TEST_CASE("memory: forked processes compute once with compute_once") {
    brine::test::fresh_dir dir;
    const auto log = dir.path() / "computations";
    std::vector<pid_t> children;
    for (int i = 0; i < 4; ++i) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int status = 1;
            try {
                brine::memory cache(dir.path() / "cache", {.compute_once = true});
                auto f = cache.cache("slow", "v1", [&](int x) { count_computation(log); return slow_result(x); });
                status = f(3) == slow_result(3) ? 0 : 2;
            } catch (...) {
                status = 3;
            }
            ::_exit(status);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    CHECK(std::filesystem::file_size(log) == 1);
}

TEST_CASE("memory: the lock of a process that died while computing is recovered") {
    brine::test::fresh_dir dir;
    const auto started = dir.path() / "started";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        brine::memory cache(dir.path() / "cache", {.compute_once = true});
        auto f = cache.cache("slow", "v1", [&](int) -> int {
            std::ofstream(started).put('1');
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            ::_exit(9);  // dies holding the lock, storing nothing
        });
        f(1);
        ::_exit(0);
    }
    while (!std::filesystem::exists(started)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // The child holds the lock now: this call waits for it, then computes.
    brine::memory cache(dir.path() / "cache", {.compute_once = true});
    int calls = 0;
    auto f = cache.cache("slow", "v1", [&](int x) { ++calls; return x + 100; });
    CHECK(f(1) == 101);
    CHECK(calls == 1);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WEXITSTATUS(status) == 9);
}
