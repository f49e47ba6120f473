// brine::memory: the API contract, layout, versions, mmap'd results, limits.
#include "scratch.hpp"

#include <brine/brine.hpp>
#include <brine/store/memory_entry.hpp>

#include <doctest/doctest.h>

#include <xtensor/xtensor.hpp>

#include <atomic>
#include <map>
#include <string>
#include <vector>

namespace {

std::atomic<int> simulate_calls{0};

xt::xtensor<double, 1> simulate(const xt::xtensor<double, 1>& x, int steps) {
    ++simulate_calls;
    return x * static_cast<double>(steps) + 1.0;
}

long twice(long x) { return 2 * x; }

}  // namespace

TEST_CASE("memory: a miss computes and stores, a hit loads") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path() / "cachedir", {.bytes_limit = 10ull << 30, .mmap = brine::mmap_mode::read_only,
                                                  .codec = brine::codec_id::none});
    auto f = cache.cache("simulate", "v2", &simulate);
    const xt::xtensor<double, 1> x = {1.0, 2.0, 3.0};
    simulate_calls = 0;
    CHECK_FALSE(f.contains(x, 10));
    const auto r1 = f(x, 10);
    CHECK(simulate_calls == 1);
    CHECK(f.contains(x, 10));
    CHECK_FALSE(f.contains(x, 11));
    const auto r2 = f(x, 10);
    CHECK(simulate_calls == 1);
    CHECK(r1 == r2);
    CHECK(r2 == xt::xtensor<double, 1>{11.0, 21.0, 31.0});

    // Layout: cachedir/name/version/<key>/{output,metadata}.brine, both brine files.
    const auto key = f.key_of(x, 10);
    CHECK(key.starts_with("xxh3-128-v1-"));
    const auto entry = dir.path() / "cachedir" / "simulate" / "v2" / key;
    REQUIRE(std::filesystem::is_regular_file(entry / "output.brine"));
    REQUIRE(std::filesystem::is_regular_file(entry / "metadata.brine"));
    CHECK(brine::load<xt::xtensor<double, 1>>(entry / "output.brine") == r1);
    const auto meta = brine::load<brine::memory_entry>(entry / "metadata.brine");
    CHECK(meta.function == "simulate");
    CHECK(meta.version == "v2");
    CHECK(meta.key == key);
    INFO(meta.arguments);
    CHECK(meta.arguments == "(xt::xtensor<double, 1>, std::int32_t 10)");
    CHECK(meta.duration >= 0);
    CHECK(meta.created > 1.6e9);
    CHECK(meta.last_used >= meta.created);
    CHECK(meta.output_bytes == std::filesystem::file_size(entry / "output.brine"));
    const brine::value any = brine::load(entry / "metadata.brine");
    CHECK(any.as_dict().contains("last_used"));

    f.clear();
    CHECK_FALSE(f.contains(x, 10));
    f(x, 10);
    CHECK(simulate_calls == 2);
}

TEST_CASE("memory: a new version tag never sees the old results") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    int calls = 0;
    auto v1 = cache.cache("square", "v1", [&](int x) { ++calls; return x * x; });
    auto v2 = cache.cache("square", "v2", [&](int x) { ++calls; return x * x + 1; });
    CHECK(v1(3) == 9);
    CHECK(v2(3) == 10);
    CHECK(v1(3) == 9);
    CHECK(v2(3) == 10);
    CHECK(calls == 2);
    // Another name is another function.
    auto other = cache.cache("cube", "v1", [&](int x) { ++calls; return x * x * x; });
    CHECK(other(3) == 27);
    CHECK(calls == 3);
    cache.clear();
    CHECK_FALSE(v1.contains(3));
    CHECK_FALSE(v2.contains(3));
    CHECK(v1(3) == 9);
    CHECK(calls == 4);
}

TEST_CASE("memory: function objects, several arguments, containers") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    struct summer {
        int* calls;
        double operator()(const std::vector<double>& v, const std::map<std::string, double>& w) const {
            ++*calls;
            double s = 0;
            for (double x : v) s += x * w.at("scale");
            return s;
        }
    };
    int calls = 0;
    auto f = cache.cache("sum", "1", summer{&calls});
    CHECK(f(std::vector<double>{1, 2, 3}, std::map<std::string, double>{{"scale", 2}}) == 12);
    CHECK(f(std::vector<double>{1, 2, 3}, std::map<std::string, double>{{"scale", 2}}) == 12);
    CHECK(f(std::vector<double>{1, 2, 3}, std::map<std::string, double>{{"scale", 3}}) == 18);
    CHECK(calls == 2);

    // Results of any serializable type, a struct-free tree here.
    auto g = cache.cache("tree", "1", [](const std::string& s) {
        return std::map<std::string, std::vector<std::string>>{{s, {s, s + s}}};
    });
    CHECK(g(std::string("ab")).at("ab")[1] == "abab");
    CHECK(g(std::string("ab")).at("ab")[1] == "abab");
}

TEST_CASE("memory: arguments are keyed as the function's parameter types") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    auto f = cache.cache("twice", "v1", &twice);
    CHECK(f(21) == 42);  // an int, converted to long as the call does
    CHECK(f.contains(21L));
    CHECK(f.key_of(21) == f.key_of(21L));
}

TEST_CASE("memory: bad names are rejected") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    auto id = [](int x) { return x; };
    CHECK_THROWS_AS(cache.cache("a/b", "v1", id), brine::error);
    CHECK_THROWS_AS(cache.cache("..", "v1", id), brine::error);
    CHECK_THROWS_AS(cache.cache("f", "", id), brine::error);
    CHECK_THROWS_AS(cache.cache("f", ".hidden", id), brine::error);
    CHECK_NOTHROW(cache.cache("f", "v1.2-rc3", id));
}

TEST_CASE("memory: results load as mappings under .mmap") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path(), {.mmap = brine::mmap_mode::read_only});
    auto f = cache.cache("ramp", "v1", [](std::size_t n) {
        auto a = brine::ndarray::zeros(brine::dtype::float64, {n});
        auto e = a.mutable_elements<double>();
        for (std::size_t i = 0; i < n; ++i) e[i] = static_cast<double>(i);
        return brine::array<const double>::from(a);
    });
    const auto first = f(std::size_t{100000});
    CHECK_FALSE(first.is_mapped());  // the computed result itself
    const auto hit = f(std::size_t{100000});
    CHECK(hit.is_mapped());
    CHECK(hit.size() == 100000);
    CHECK(hit(99999) == 99999.0);

    // A mutable array cannot be a read-only mapping: it loads into memory, and still hits.
    int mutable_calls = 0;
    auto m = cache.cache("mutable", "v1", [&](int n) {
        ++mutable_calls;
        return brine::array<double>(2.0 * xt::ones<double>({static_cast<std::size_t>(n)}));
    });
    CHECK(m(10)(9) == 2.0);
    const auto owned = m(10);
    CHECK(owned(9) == 2.0);
    CHECK_FALSE(owned.is_mapped());
    CHECK(mutable_calls == 1);

    // A compressed result cannot be mapped: it loads, and still hits.
    brine::memory packed(dir.path() / "z", {.mmap = brine::mmap_mode::read_only, .codec = brine::codec_id::zstd});
    int calls = 0;
    auto g = packed.cache("ramp", "v1", [&](int n) { ++calls; return std::vector<int>(static_cast<std::size_t>(n), 7); });
    CHECK(g(1000).size() == 1000);
    CHECK(g(1000).size() == 1000);
    CHECK(calls == 1);
    // Not even read_write: a cached result must not be changed through a mapping of a compressed file.
    CHECK_THROWS_AS(brine::memory(dir.path() / "w", {.mmap = brine::mmap_mode::read_write, .codec = brine::codec_id::zstd}),
                    brine::error);
}

namespace {

// Sets an entry's recorded last use, as if it had been used `seconds_ago`.
void set_last_used(const std::filesystem::path& entry, double seconds_ago) {
    auto meta = brine::load<brine::memory_entry>(entry / "metadata.brine");
    meta.last_used =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count() - seconds_ago;
    brine::dump(meta, entry / "metadata.brine");
    // As a record written then: memory reads a fresh mtime as "just recorded".
    std::filesystem::last_write_time(entry / "metadata.brine",
                                     std::filesystem::file_time_type::clock::now() -
                                         std::chrono::duration_cast<std::filesystem::file_time_type::duration>(
                                             std::chrono::duration<double>(seconds_ago)));
}

}  // namespace

TEST_CASE("memory: limits evict the least recently used entries") {
    brine::test::fresh_dir dir;
    const auto root = dir.path() / "c";
    {
        brine::memory cache(root);
        auto f = cache.cache("f", "v1", [](int x) { return std::vector<double>(1000, x); });
        for (int i = 0; i < 5; ++i) f(i);
        // Used 50, 40, ... 10 seconds ago: entry 0 is the least recently used.
        for (int i = 0; i < 5; ++i) set_last_used(f.directory() / f.key_of(i), 50 - 10 * i);
        // Uses are recorded: a hit makes entry 0 the most recent.
        f(0);
        CHECK(brine::load<brine::memory_entry>(f.directory() / f.key_of(0) / "metadata.brine").last_used >
              brine::load<brine::memory_entry>(f.directory() / f.key_of(4) / "metadata.brine").last_used);

        cache.reduce_size({.items = 3});
        CHECK(brine::test::count_entries(root) == 3);
        CHECK(f.contains(0));
        CHECK_FALSE(f.contains(1));
        CHECK_FALSE(f.contains(2));
        CHECK(f.contains(3));
        CHECK(f.contains(4));

        set_last_used(f.directory() / f.key_of(3), 3 * 86400.0);
        cache.reduce_size({.age = std::chrono::hours(24)});
        CHECK_FALSE(f.contains(3));
        CHECK(brine::test::count_entries(root) == 2);

        // Bytes: each entry holds 8000 bytes of doubles and some metadata.
        cache.reduce_size({.bytes = 12000});
        CHECK(brine::test::count_entries(root) == 1);
        CHECK(f.contains(0));  // the most recently used stays
        cache.reduce_size({.bytes = 0});
        CHECK(brine::test::count_entries(root) == 0);
    }
    {
        // Enforced on every write.
        brine::memory cache(root, {.items_limit = 2});
        auto f = cache.cache("f", "v1", [](int x) { return x; });
        for (int i = 0; i < 6; ++i) {
            f(i);
            CHECK(brine::test::count_entries(root) <= 2);
        }
        CHECK(f.contains(5));
    }
    {
        brine::memory cache(root, {.bytes_limit = 30000});
        auto f = cache.cache("big", "v1", [](int x) { return std::vector<double>(1000, x); });
        for (int i = 0; i < 10; ++i) f(i);
        std::uint64_t total = 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(root))
            if (e.is_regular_file() && e.path().extension() == ".brine") total += e.file_size();
        CHECK(total <= 30000);
        CHECK(f.contains(9));
    }
}

// docs/guide.md, "Versioning": the tag tied to a constant the build defines.
#ifndef SIMULATE_VERSION
#define SIMULATE_VERSION "1.4.2"
#endif

TEST_CASE("memory: a version tag from a build-time constant, a mutable function object") {
    brine::test::fresh_dir dir;
    brine::memory cache(dir.path());
    constexpr std::string_view simulate_version = SIMULATE_VERSION "-model3";
    int calls = 0;
    auto f = cache.cache("count", simulate_version, [&calls, seen = 0](int x) mutable {
        ++calls;
        return x + 0 * ++seen;
    });
    CHECK(f(4) == 4);
    CHECK(f(4) == 4);
    CHECK(calls == 1);
    CHECK(f.directory() == dir.path() / "count" / "1.4.2-model3");
}
