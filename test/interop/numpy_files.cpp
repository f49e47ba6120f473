// .npy and .npz files, both directions.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace brine::test;

namespace {
std::filesystem::path out_dir() {
    auto d = fixtures() / "written_numpy";
    std::filesystem::create_directories(d);
    return d;
}
}  // namespace

TEST_CASE("npy files of every dtype, order, byte order and header version load") {
    for (const auto& [key, want] : arrays()) {
        const auto file = fixtures() / ("arr_" + key + ".npy");
        CAPTURE(file);
        const auto a = npy::load(file);
        CHECK(a == want.as_array());
        CHECK(a.layout() == want.as_array().layout());
        CHECK(a.meta().order == native_byte_order);
    }
    for (const char* v : {"v1.npy", "v2.npy", "v3.npy"}) {
        CAPTURE(v);
        CHECK(npy::load(fixtures() / v) == arange(dtype::float64, {4, 5}));
    }
    std::ifstream in(fixtures() / "float32.npy", std::ios::binary);
    CHECK(npy::load(in) == arange(dtype::float32, {2, 3}));
}

TEST_CASE("npy mmap is zero-copy and 64-aligned") {
    const auto a = npy::load(fixtures() / "float64.npy", {.mmap = mmap_mode::read_only});
    CHECK(a.mapped());
    CHECK(reinterpret_cast<std::uintptr_t>(a.bytes().data()) % 64 == 0);
    CHECK(a == arange(dtype::float64, {2, 3}));
    CHECK(a.elements<double>()[5] == 5.0);
}

TEST_CASE("npz: stored, deflated and zip64 archives made by Python load") {
    const auto want = value(arrays());
    for (const char* name : {"arrays.npz", "arrays_compressed.npz", "arrays_zip64.npz"}) {
        CAPTURE(name);
        CHECK(npz::load(fixtures() / name) == want);
        std::ifstream in(fixtures() / name, std::ios::binary);
        CHECK(npz::load(in) == want);
    }
    const auto mapped = npz::load(fixtures() / "arrays.npz", {.mmap = mmap_mode::read_only});
    CHECK(mapped == want);
    CHECK(mapped["uint8"].as_array().mapped());  // numpy does not align members; one-byte elements always map
}

TEST_CASE("npy and npz written by brine load in numpy") {
    std::vector<std::filesystem::path> written;
    for (const auto& [key, a] : arrays()) {
        const auto file = out_dir() / ("arr_" + key + ".npy");
        npy::dump(a.as_array(), file);
        CHECK(npy::load(file) == a.as_array());
        written.push_back(file);
    }
    const auto all = arrays();
    for (const auto& [name, options] : {std::pair{"stored.npz", npz::dump_options{}},
                                        std::pair{"compressed.npz", npz::dump_options{.compress = true}},
                                        std::pair{"zip64.npz", npz::dump_options{.force_zip64 = true}},
                                        std::pair{"compressed_zip64.npz", npz::dump_options{.compress = true, .force_zip64 = true}}}) {
        const auto file = out_dir() / name;
        npz::dump(all, file, options);
        CHECK(npz::load(file) == value(all));
        written.push_back(file);
    }
    // Stored members are aligned so that mmap can borrow every array.
    const auto mapped = npz::load(out_dir() / "stored.npz", {.mmap = mmap_mode::read_only});
    for (const auto& member : mapped.as_dict()) {
        const auto& key = member.first;
        const auto& a = member.second;
        CAPTURE(key);
        CHECK(reinterpret_cast<std::uintptr_t>(a.as_array().bytes().data()) % 64 == 0);
    }
    CHECK(python_agrees(written));
}
