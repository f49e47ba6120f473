// A corrupt or truncated entry is a miss: recomputed, reported, never a crash
// and never wrong data.
#include "scratch.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <vector>

namespace {

std::vector<char> read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_all(const std::filesystem::path& p, const std::vector<char>& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct result_tree {
    std::string label;
    std::vector<double> values;
    std::map<std::string, int> counts;
    friend bool operator==(const result_tree&, const result_tree&) = default;
};
BRINE_FIELDS(result_tree, label, values, counts)

result_tree expected(int x) { return {std::string("run ").append(std::to_string(x)), std::vector<double>(40, x * 1.5), {{"a", x}, {"b", -x}}}; }

}  // namespace

TEST_CASE("memory: every truncation and every flipped byte of a result is a miss or the right result") {
    brine::test::fresh_dir dir;
    std::vector<brine::memory_problem> problems;
    brine::memory cache(dir.path(), {.on_problem = [&](const brine::memory_problem& p) { problems.push_back(p); }});
    int calls = 0;
    auto f = cache.cache("tree", "v1", [&](int x) { ++calls; return expected(x); });
    REQUIRE(f(5) == expected(5));
    const auto output = f.directory() / f.key_of(5) / "output.brine";
    const auto good = read_all(output);
    REQUIRE(good.size() > 100);

    for (std::size_t n = 0; n < good.size(); n += 7) {
        write_all(output, std::vector<char>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)));
        calls = 0;
        CHECK(f(5) == expected(5));
        CHECK(calls == 1);
        CHECK(read_all(output) == good);  // recomputed and stored again
    }
    CHECK(problems.size() >= good.size() / 7);
    CHECK(problems.back().what == brine::memory_problem::kind::corrupt_entry);
    CHECK(problems.back().path == f.directory() / f.key_of(5));

    for (std::size_t i = 0; i < good.size(); ++i) {
        auto bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x41);
        write_all(output, bad);
        CHECK(f(5) == expected(5));
    }
}

TEST_CASE("memory: damaged metadata, a result of another type, stray files") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    int calls = 0;
    auto f = cache.cache("tree", "v1", [&](int x) { ++calls; return expected(x); });
    f(1);
    const auto entry = f.directory() / f.key_of(1);
    write_all(entry / "metadata.brine", {'j', 'u', 'n', 'k'});
    // Damaged a while ago (a record written in the last second is not rewritten on a hit).
    std::filesystem::last_write_time(entry / "metadata.brine",
                                     std::filesystem::file_time_type::clock::now() - std::chrono::seconds(10));
    CHECK(f(1) == expected(1));
    CHECK(calls == 1);  // the result was fine: a hit, and the metadata is rewritten
    CHECK_NOTHROW(brine::load<brine::memory_entry>(entry / "metadata.brine"));

    brine::dump(std::string("not a tree"), entry / "output.brine");
    CHECK(f(1) == expected(1));
    CHECK(calls == 2);

    std::filesystem::remove(entry / "output.brine");
    CHECK_FALSE(f.contains(1));
    CHECK(f(1) == expected(1));
    CHECK(calls == 3);

    // Files that are not entries do not disturb reduce_size.
    write_all(f.directory() / "stray-file", {'x'});
    std::filesystem::create_directories(f.directory() / ".trash-old");
    CHECK_NOTHROW(cache.reduce_size({.items = 10}));
    CHECK(f.contains(1));
    CHECK_FALSE(std::filesystem::exists(f.directory() / ".trash-old"));
}

TEST_CASE("memory: a result that cannot be stored is still returned, and reported") {
    brine::test::fresh_dir dir;
    std::vector<brine::memory_problem> problems;
    brine::memory cache(dir.path(), {.on_problem = [&](const brine::memory_problem& p) { problems.push_back(p); }});
    auto f = cache.cache("tree", "v1", [](int x) { return expected(x); });
    // The function's directory is taken by a file: nothing can be stored under it.
    std::filesystem::create_directories(f.directory().parent_path());
    write_all(f.directory(), {'x'});
    CHECK(f(2) == expected(2));
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.back().what == brine::memory_problem::kind::store_failed);
}
