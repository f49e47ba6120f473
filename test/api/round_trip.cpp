// Every supported type x every codec, to paths and to streams.
#include "sample.hpp"

#include <brine/codec_stream.hpp>
#include <brine/types/brine_array.hpp>

#include <doctest/doctest.h>

#include <sstream>

using brine::test::everything;

TEST_CASE("every type round-trips through every codec, to a path") {
    const auto original = brine::test::make_everything();
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        const auto file = brine::test::scratch_root() / ("all.brine" + std::string(c.extension));
        brine::dump(original, file);
        CHECK(brine::load<everything>(file) == original);
        // The codec was detected from the magic, not the name.
        const auto renamed = brine::test::scratch_root() / "renamed.bin";
        std::filesystem::rename(file, renamed);
        CHECK(brine::load<everything>(renamed) == original);
    }
}

TEST_CASE("every type round-trips through every codec, to a stream") {
    const auto original = brine::test::make_everything();
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        std::stringstream ss;
        brine::dump(original, ss, {.codec = c.id});
        ss.seekg(0);
        CHECK(brine::load<everything>(ss) == original);
    }
}

TEST_CASE("dump into a codec_ostream, load from a codec_istream") {
    const auto original = brine::test::make_everything();
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        std::stringstream ss;
        {
            brine::codec_ostream z(ss, c.id);
            brine::dump(original, z);
            z.finish();
        }
        ss.seekg(0);
        CHECK(brine::load<everything>(ss) == original);  // detected by magic
        ss.clear();
        ss.seekg(0);
        brine::codec_istream unz(ss, c.id);
        CHECK(brine::load<everything>(unz) == original);
    }
}

TEST_CASE("a dumped struct loads as a dict of its fields") {
    const auto original = brine::test::make_everything();
    const auto file = brine::test::scratch_root() / "generic.brine.zst";
    brine::dump(original, file);
    const brine::value v = brine::load(file);
    REQUIRE(v.is_dict());
    CHECK(v["text"].as_string() == original.text);
    CHECK(v["u64"].as<std::uint64_t>() == original.u64);
    CHECK(v["layers"][1]["name"].as_string() == "layer1");
    CHECK(v["layers"][1]["weights"].as_array().shape() == std::vector<std::uint64_t>{16, 8});
    CHECK(v["grid"].as_array().dtype() == brine::dtype::float64);
    CHECK(v["extra"]["nested"][1].as_string() == "two");
    // A value dumped again is the same tree.
    const auto again = brine::test::scratch_root() / "generic2.brine";
    brine::dump(v, again);
    CHECK(brine::load(again) == v);
}

TEST_CASE("level and explicit codec options") {
    std::vector<double> data(1 << 20);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::round(std::sin(static_cast<double>(i) * 0.001) * 1000) + static_cast<double>(i % 7);
    const auto fast = brine::test::scratch_root() / "fast.brine.zst";
    const auto small = brine::test::scratch_root() / "small.brine.zst";
    brine::dump(data, fast, {.level = 1});
    brine::dump(data, small, {.level = 19});
    CHECK(std::filesystem::file_size(small) <= std::filesystem::file_size(fast));
    const auto named = brine::test::scratch_root() / "named.data";
    brine::dump(data, named, {.codec = brine::codec_id::xz});
    CHECK(brine::load<std::vector<double>>(named) == data);
}

TEST_CASE("a dump that is not durable still replaces the file atomically") {
    // durable = false skips the fsyncs only: the temporary file and the rename stay.
    const auto dir = brine::test::scratch_root() / "not-durable";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto file = dir / "tree.brine";
    const std::vector<double> before(1000, 1.0), after(20 << 20 >> 3, 2.0);  // 20 MiB: several writeback steps
    brine::dump(before, file, {.durable = false});
    brine::dump(after, file, {.durable = false});
    CHECK(brine::load<std::vector<double>>(file) == after);
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("large arrays from inputs that cannot vouch for their size load intact") {
    // Above the 4 MiB the reader trusts on a file's word, xz, bz2 and pipes
    // deliver the payload into growing memory that is freed as it is copied
    // into the container (io::buffer::discard): every element must survive.
    xt::xtensor<double, 2> big = xt::zeros<double>({std::size_t{1024}, std::size_t{1024} + 3});
    for (std::size_t i = 0; i < big.size(); ++i) big.data()[i] = static_cast<double>(i % 9973) * 0.5 - static_cast<double>(i);
    for (const char* ext : {".xz", ".bz2"}) {
        CAPTURE(ext);
        const auto file = brine::test::scratch_root() / (std::string("big.brine") + ext);
        brine::dump(big, file);
        CHECK(brine::load<xt::xtensor<double, 2>>(file) == big);
        CHECK(brine::load<brine::tensor<double, 2>>(file) == big);
    }
    std::stringstream pipe;
    brine::dump(big, pipe);
    CHECK(brine::load<xt::xtensor<double, 2>>(pipe) == big);
}
