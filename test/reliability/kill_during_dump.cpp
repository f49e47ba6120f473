// Nothing lost on a failed write (issue 5, section 5): a child process dumps
// a 64 MiB tree over a file that holds a complete older tree and is killed
// with SIGKILL at a random moment, 50 times. The target must always be the
// complete old tree or the complete new one. Temporary files
// (<target>.tmp-XXXXXXXX) of killed children are expected leftovers: no
// process survives to remove them (docs/reliability.md).
#include "reliability.hpp"

#include <brine/types/xtensor.hpp>

#include <doctest/doctest.h>

#include <xtensor/xtensor.hpp>

#include <chrono>
#include <csignal>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

using tree = std::vector<xt::xtensor<double, 1>>;
constexpr std::size_t arrays = 16, elements = 512 * 1024;  // 16 x 4 MiB = 64 MiB

double element(int generation, std::size_t array, std::size_t i) {
    return generation * 65536.0 + static_cast<double>(array) * 4096.0 + static_cast<double>(i & 4095);
}

tree make_tree(int generation) {
    tree t(arrays);
    for (std::size_t a = 0; a < arrays; ++a) {
        t[a] = xt::xtensor<double, 1>::from_shape({elements});
        for (std::size_t i = 0; i < elements; ++i) t[a](i) = element(generation, a, i);
    }
    return t;
}

// Which generation the file holds in full; -1 if it is anything else.
int generation_of(const std::filesystem::path& file) {
    const auto t = brine::load<tree>(file);  // verifies every checksum
    if (t.size() != arrays || t[0].size() != elements) return -1;
    const int g = static_cast<int>(t[0](0) / 65536.0);
    for (std::size_t a = 0; a < arrays; ++a) {
        if (t[a].size() != elements) return -1;
        for (std::size_t i = 0; i < elements; ++i)
            if (t[a](i) != element(g, a, i)) return -1;
    }
    return g;
}

pid_t start_child(const std::filesystem::path& target, int generation) {
    std::string exe = std::filesystem::read_symlink("/proc/self/exe").string(), flag = brine::test::dump_child_flag,
                path = target.string(), gen = std::to_string(generation);
    char* argv[] = {exe.data(), flag.data(), path.data(), gen.data(), nullptr};
    pid_t pid = -1;
    REQUIRE(::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, environ) == 0);
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

int brine::test::run_dump_child(int argc, char** argv) {
    if (argc != 2) return 2;
    brine::dump(make_tree(std::atoi(argv[1])), argv[0], {.codec = std::nullopt, .level = std::nullopt, .threads = 1});
    return 0;
}

TEST_CASE("SIGKILL during a dump leaves the complete old file or the complete new one") {
    const auto dir = brine::test::scratch_dir("kill");
    const auto target = dir / "tree.brine";

    // Generation 0 is the first "old" file; timing it tells where to aim.
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(wait_for(start_child(target, 0)) == 0);
    const auto full_dump = std::chrono::steady_clock::now() - start;
    REQUIRE(generation_of(target) == 0);

    std::mt19937 rng(7);
    int current = 0, kept_old = 0, got_new = 0, temp_files_left = 0;
    for (int round = 0; round < 50; ++round) {
        CAPTURE(round);
        const int next = 1 - current;
        const auto pid = start_child(target, next);
        // Anywhere from before the file is opened to just after the rename.
        const auto delay = std::uniform_real_distribution<double>(0.0, 1.1)(rng) * full_dump;
        std::this_thread::sleep_for(delay);
        ::kill(pid, SIGKILL);
        wait_for(pid);

        REQUIRE(std::filesystem::exists(target));
        const int found = generation_of(target);
        REQUIRE_MESSAGE((found == current || found == next), "the target holds neither the old nor the new tree");
        (found == current ? kept_old : got_new) += 1;
        current = found;
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (e.path() == target) continue;
            CHECK(e.path().filename().string().rfind("tree.brine.tmp-", 0) == 0);
            std::filesystem::remove(e.path());
            ++temp_files_left;
        }
    }
    MESSAGE("50 kills: target kept the old tree " << kept_old << " times, held the new one " << got_new
                                                  << " times; killed children left " << temp_files_left << " temporary files");
    CHECK(kept_old > 0);
    std::filesystem::remove_all(dir);
}
