// brine::open: reaching one entry through the table of contents.
#include "sample.hpp"

#include <brine/api/archive.hpp>
#include <brine/types/brine_array.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <random>

TEST_CASE("open() reaches entries by key and index, for every codec") {
    const auto original = brine::test::make_everything();
    for (const auto& c : brine::codecs()) {
        CAPTURE(c.name);
        const auto file = brine::test::scratch_root() / ("lazy.brine" + std::string(c.extension));
        brine::dump(original, file);
        auto a = brine::open(file);
        CHECK(a.codec() == c.id);
        CHECK(a.root().kind() == brine::node_kind::dict);
        CHECK(a["layers"].size() == 3);
        CHECK(a["layers"][2]["weights"].load<xt::xtensor<float, 2>>() == original.layers[2].weights);
        CHECK(a["layers"][1]["name"].load<std::string>() == "layer1");  // a leaf, found by parsing its parent
        CHECK(a["u64"].load<std::uint64_t>() == original.u64);
        CHECK(a["text"].value().as_string() == original.text);
        CHECK(a["by_id"][1].load<std::string>() == "seven");  // the second pair's value
        CHECK(a["triple"].kind() == brine::node_kind::array);
        CHECK(a["layers"][0].keys() == std::vector<std::string>{"name", "weights", "bias"});
        CHECK_THROWS_AS(a["no such key"].load<int>(), brine::error);
        CHECK_THROWS_AS(a["layers"][7].load<int>(), brine::error);
        CHECK_THROWS_WITH_AS(a["layers"][0]["bias"].load<std::string>(),
                             doctest::Contains("root[\"layers\"][0][\"bias\"]: stored float32 array of shape (8,), requested std::string"),
                             brine::type_error);
    }
}

TEST_CASE("open() with mmap maps the entry's array") {
    const auto file = brine::test::scratch_root() / "lazy-mmap.brine";
    std::map<std::string, xt::xtensor<double, 1>> m{{"a", xt::arange<double>(100)}, {"b", xt::arange<double>(1000)}};
    brine::dump(m, file);
    auto a = brine::open(file, {.mmap = brine::mmap_mode::read_only});
    const auto b = a["b"].load<brine::array<const double>>();
    CHECK(b.is_mapped());
    CHECK(b(999) == 999);
}

TEST_CASE("open() seeks into an xz file through xz's block index") {
    // Incompressible data in small blocks: a file of many xz blocks, with
    // the array "a" in the middle ones and "z" and the table of contents last.
    using vec = xt::xtensor<std::uint64_t, 1>;
    std::mt19937_64 rng(7);
    vec a = xt::zeros<std::uint64_t>({std::size_t{1} << 18});
    for (auto& x : a) x = rng();
    std::map<std::string, vec> m{{"a", a}, {"z", xt::arange<std::uint64_t>(10)}};
    const auto file = brine::test::scratch_root() / "lazy-seek.brine.xz";
    brine::dump_options options;
    options.threads = 2;
    options.block_size = 64 << 10;
    brine::dump(m, file, options);
    CHECK(brine::open(file)["a"].load<vec>() == a);

    // A flipped byte in the middle of the file breaks one of a's blocks:
    // "z" is still reached (so the blocks before it were skipped, not
    // decoded), and loading "a" reports the corruption.
    {
        std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
        f.seekg(0, std::ios::end);
        const auto middle = static_cast<std::streamoff>(f.tellg()) / 2;
        char c;
        f.seekg(middle);
        f.get(c);
        f.seekp(middle);
        f.put(static_cast<char>(c ^ 0x40));
    }
    for (unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        auto opened = brine::open(file, {.threads = threads});
        CHECK(opened["z"].load<vec>() == xt::arange<std::uint64_t>(10));
        CHECK_THROWS_AS(opened["a"].load<vec>(), brine::error);
    }
    CHECK_THROWS_AS(brine::load<decltype(m)>(file), brine::error);  // sequential decoding meets it
}

TEST_CASE("entry paths escape keys, so a key holding brackets, quotes or a newline prints unambiguously") {
    const auto file = brine::test::scratch_root() / "awkward-keys.brine";
    // Big enough to be indexed ("a]\"b"), and a small one found by parsing ("x\n[0]").
    const std::string awkward = "a]\"b/\\";
    std::map<std::string, std::map<std::string, std::vector<double>>> tree{
        {awkward, {{"x\n[0]", std::vector<double>(4, 1.0)}, {"big", std::vector<double>(100000, 2.0)}}}};
    brine::dump(tree, file);
    auto a = brine::open(file);
    const auto small = a[awkward]["x\n[0]"];
    CHECK(small.path() == R"(root["a]\"b/\\"]["x\n[0]"])");
    CHECK(a[awkward]["big"].path() == R"(root["a]\"b/\\"]["big"])");
    CHECK(small.load<std::vector<double>>() == std::vector<double>(4, 1.0));
    // The reader's messages print the same path.
    CHECK_THROWS_WITH_AS(small.load<std::string>(), doctest::Contains(R"(root["a]\"b/\\"]["x\n[0]"]: stored)"), brine::type_error);
    CHECK_THROWS_WITH_AS(a[awkward]["x\n[1]"].load<int>(), doctest::Contains(R"(no key "x\n[1]" in root["a]\"b/\\"])"), brine::error);
    // A map's values print as [#i], as the reader names them.
    std::map<int, std::string> m{{7, "seven"}, {9, "nine"}};
    brine::dump(m, file);
    CHECK(brine::open(file)[1].path() == "root[#1]");
}
