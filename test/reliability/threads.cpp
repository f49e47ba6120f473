// Thread safety (issue 5, section 7; guarantees in docs/reliability.md):
// concurrent loads, mappings and lazy reads of one file, one archive shared
// by several threads, concurrent dumps to different files, and concurrent
// dumps to the same path. Meant to run under ThreadSanitizer too (.ci/run).
#include "reliability.hpp"
#include "samples.hpp"

#include <brine/codec/codec.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

namespace {

constexpr int thread_count = 8;

// Runs `work(thread_index)` on 8 threads at once; counts failures instead of
// using doctest's assertions, which are not meant to be called off the main thread.
template <class Work>
int failures_of(Work&& work) {
    std::atomic<int> failures{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
            ++ready;
            while (ready < thread_count) std::this_thread::yield();  // start together
            try {
                if (!work(t)) ++failures;
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (auto& th : threads) th.join();
    return failures;
}

}  // namespace

TEST_CASE("8 threads load, map and lazily read the same files") {
    const auto dir = brine::test::scratch_dir("threads_read");
    const auto model = brine::fuzz::sample_model();
    const auto plain = dir / "model.brine", packed = dir / "model.brine.zst";
    brine::dump(model, plain);
    brine::dump(model, packed, {.codec = std::nullopt, .level = std::nullopt, .threads = 0, .block_size = 256});  // several blocks: parallel and seekable decoding
    const brine::value as_value = brine::load(plain);
    const auto shared_archive = brine::open(packed);
    const auto mapped_value = brine::load(plain, {.mmap = brine::mmap_mode::read_only});

    const int failures = failures_of([&](int t) {
        bool ok = true;
        for (int round = 0; round < 10; ++round) {
            ok &= brine::load<brine::fuzz::fuzz_model>(plain) == model;
            ok &= brine::load<brine::fuzz::fuzz_model>(packed, {.threads = 2}) == model;
            ok &= brine::load(t % 2 ? plain : packed) == as_value;
            ok &= brine::load<brine::fuzz::fuzz_model>(plain, {.mmap = brine::mmap_mode::read_only}) == model;
            ok &= brine::open(plain, {.mmap = brine::mmap_mode::read_only})["weights"].load<xt::xtensor<float, 2>>() == model.weights;
            // One archive, shared: every entry read opens its own reader.
            ok &= shared_archive["grid"].load<xt::xarray<double, xt::layout_type::column_major>>() == model.grid;
            ok &= shared_archive["labels"].value() == as_value["labels"];
            // One mapped value, read by all (reads of shared memory only).
            ok &= mapped_value == as_value;
            ok &= static_cast<bool>(brine::verify(t % 2 ? plain : packed, 1));
        }
        return ok;
    });
    CHECK(failures == 0);
}

TEST_CASE("8 threads dump to different files at once") {
    const auto dir = brine::test::scratch_dir("threads_dump");
    const auto model = brine::fuzz::sample_model();
    const auto codecs = brine::codecs();
    auto file_of = [&](int t) {
        const auto& c = codecs[static_cast<std::size_t>(t) % codecs.size()];
        return dir / ("model" + std::to_string(t) + ".brine" + std::string(c.extension));
    };
    const int failures = failures_of([&](int t) {
        for (int round = 0; round < 3; ++round) brine::dump(model, file_of(t), {.codec = std::nullopt, .level = std::nullopt, .threads = 2, .block_size = 512});
        return brine::load<brine::fuzz::fuzz_model>(file_of(t)) == model;
    });
    CHECK(failures == 0);
}

TEST_CASE("8 threads dump to the same path: the last rename wins, whole") {
    const auto dir = brine::test::scratch_dir("threads_same_path");
    const auto target = dir / "shared.brine";
    const int failures = failures_of([&](int t) {
        brine::dump(std::vector<int>(100000, t), target, {.codec = std::nullopt, .level = std::nullopt, .threads = 1});
        return true;
    });
    CHECK(failures == 0);
    const auto winner = brine::load<std::vector<int>>(target);
    REQUIRE(winner.size() == 100000);
    CHECK(std::count(winner.begin(), winner.end(), winner[0]) == 100000);
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // every temporary was renamed away
}
