// Exhaustive corruption (issue 5, section 6): small sample files of every
// codec, cut at every length and hit by a few hundred random single-byte
// flips. Every load must throw brine::error or return exactly the original;
// never crash, hang or trip a sanitizer (CI runs this under ASan + UBSan).
// test/format/damaged_records.cpp does the same at the record level, without codecs.
#include "reliability.hpp"
#include "samples.hpp"

#include <brine/codec/codec.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <sstream>

using brine::fuzz::brine_file;

namespace {

// Compressed samples use small blocks, so they have several blocks and a
// block index like large files, and load with two threads to take the
// parallel decoding path.
constexpr std::uint64_t small_blocks = 4096;
const brine::load_options two_threads{.threads = 2};
const brine::load_options one_thread{.threads = 1};

template <class Bytes>
std::span<const std::byte> first(const Bytes& bytes, std::size_t n) {
    return std::span<const std::byte>(bytes).first(n);
}

// The rule for a damaged file: `load` throws brine::error (false), or
// returns exactly `original` (true). Evaluated outside CHECK, which would
// swallow the brine::error itself.
template <class T, class Load>
bool loads_as(const T& original, const Load& load) {
    std::optional<T> got;
    try {
        got = load();
    } catch (const brine::error&) {
        return false;
    }
    CHECK(*got == original);
    return true;
}

}  // namespace

// A cut can only load if it removed nothing the data needs: zstd and lz4
// files end with the block index in a skippable frame, and a cut right
// before it leaves a complete stream. Such loads must give the original.
TEST_CASE("every truncation of every codec's sample files is a brine::error or loses nothing") {
    const auto tree = brine::fuzz::sample_tree();
    const auto model = brine::fuzz::sample_model();
    const auto cut = brine::test::scratch_dir("truncation") / "cut.brine";
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        const auto tree_file = brine_file(tree, c.id, c.id == brine::codec_id::none ? 0 : small_blocks);
        const auto model_file = brine_file(model, c.id);
        int complete = 0;
        for (std::size_t n = 0; n < tree_file.size(); ++n) {
            CAPTURE(n);
            complete += loads_as(tree, [&] { return brine::test::load_streamed(first(tree_file, n), two_threads); });
            if (c.id == brine::codec_id::none) {
                CHECK_THROWS_AS(brine::test::load_mapped(first(tree_file, n)), brine::error);
                CHECK_THROWS_AS(brine::test::load_mapped(first(tree_file, n), {.mmap = brine::mmap_mode::read_only}), brine::error);
            }
        }
        // Typed, from a path: the file source and the typed serializers.
        for (std::size_t n = 0; n < model_file.size(); ++n) {
            CAPTURE(n);
            brine::test::write_file(cut, first(model_file, n));
            complete += loads_as(model, [&] { return brine::load<brine::fuzz::fuzz_model>(cut, one_thread); });
        }
        if (complete) MESSAGE(std::string(c.name) << ": " << complete << " cuts before the block index loaded the complete tree");
        CHECK(complete <= 2);
    }
}

TEST_CASE("random byte flips in every codec's sample files are detected or harmless") {
    const auto tree = brine::fuzz::sample_tree();
    const auto model = brine::fuzz::sample_model();
    std::mt19937 rng(20240605);
    constexpr int flips_per_file = 300;
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        const auto tree_file = brine_file(tree, c.id, c.id == brine::codec_id::none ? 0 : small_blocks);
        const auto model_file = brine_file(model, c.id);
        int detected = 0, harmless = 0;
        auto flip = [&](std::vector<std::byte> bytes) {
            const auto pos = rng() % bytes.size();
            bytes[pos] ^= static_cast<std::byte>(1 + rng() % 255);
            return std::pair{bytes, pos};
        };
        auto judge = [&](const auto& original, const auto& load) { (loads_as(original, load) ? harmless : detected) += 1; };
        for (int trial = 0; trial < flips_per_file; ++trial) {
            {
                const auto flipped = flip(tree_file);
                const auto& bad = flipped.first;
                const auto pos = flipped.second;
                CAPTURE(pos);
                judge(tree, [&] { return brine::test::load_streamed(bad, two_threads); });
                if (c.id == brine::codec_id::none) judge(tree, [&] { return brine::test::load_mapped(bad); });
            }
            {
                const auto flipped = flip(model_file);
                const auto& bad = flipped.first;
                const auto pos = flipped.second;
                CAPTURE(pos);
                judge(model, [&] {
                    std::istringstream in(std::string(reinterpret_cast<const char*>(bad.data()), bad.size()), std::ios::binary);
                    return brine::load<brine::fuzz::fuzz_model>(in, one_thread);
                });
            }
        }
        MESSAGE(std::string(c.name) << ": " << detected << " flips detected, " << harmless << " harmless (padding, codec header fields)");
        CHECK(detected > harmless);
    }
}
