// Files written by Python's joblib, read by brine::joblib::load.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <brine/io/memory.hpp>

#include <fstream>

using namespace brine::test;

namespace {

void check_equal(const value& got, const value& expected) {
    REQUIRE(got.is_dict());
    for (const auto& item : expected.as_dict()) {
        const auto& key = item.first;
        const auto& want = item.second;
        CAPTURE(key);
        REQUIRE(got.as_dict().contains(key));
        if (want.is_dict()) {
            for (const auto& inner : want.as_dict()) {
                const auto& k = inner.first;
                const auto& w = inner.second;
                CAPTURE(k);
                CHECK(got[key][k] == w);
            }
        }
        CHECK(got[key] == want);
    }
    CHECK(got == expected);
}

}  // namespace

TEST_CASE("joblib files of every protocol and codec load equal to the sample") {
    const auto expected = sample();
    for (const std::string proto : {"2", "3", "4", "5"})
        for (const std::string ext : {"", ".z", ".gz", ".bz2", ".lzma", ".xz"}) {
            const auto file = fixtures() / ("sample_p" + proto + ".pkl" + ext);
            CAPTURE(file);
            check_equal(joblib::load(file), expected);
        }
}

TEST_CASE("lz4-compressed joblib files load") {
    const auto file = fixtures() / "sample_p4.pkl.lz4";
    if (!std::filesystem::exists(file)) return;  // no lz4 tool to make the fixture
    check_equal(joblib::load(file), sample());
}

TEST_CASE("joblib < 1.2 files (no alignment padding) and unseekable-target files load") {
    const auto expected = sample();
    for (const char* name : {"sample_old.pkl", "sample_old.pkl.gz", "sample_unseekable.pkl"}) {
        CAPTURE(name);
        check_equal(joblib::load(fixtures() / name), expected);
    }
}

TEST_CASE("joblib load from a stream") {
    std::ifstream in(fixtures() / "sample_p4.pkl.gz", std::ios::binary);
    check_equal(joblib::load(in), sample());
}

TEST_CASE("joblib mmap: arrays of an uncompressed file borrow the mapping") {
    const auto v = joblib::load(fixtures() / "sample_p4.pkl", {.mmap = mmap_mode::read_only});
    check_equal(v, sample());
    const auto& a = v["arrays"]["float64"].as_array();
    CHECK(a.mapped());
    CHECK(reinterpret_cast<std::uintptr_t>(a.bytes().data()) % 16 == 0);  // joblib 1.2 aligns to 16
    CHECK(v["arrays"]["big_i4"].as_array().mapped());  // mapped arrays keep the file's byte order
    CHECK(v["arrays"]["big_i4"].as_array().meta().order == byte_order::big);

    // Compressed files cannot be mapped unless loading into memory is allowed.
    CHECK_THROWS_AS(joblib::load(fixtures() / "sample_p4.pkl.gz", {.mmap = mmap_mode::read_only}), unsupported_error);
    const auto loaded = joblib::load(fixtures() / "sample_p4.pkl.gz", {.mmap = mmap_mode::read_only_or_load});
    CHECK_FALSE(loaded["arrays"]["float64"].as_array().mapped());
    CHECK(loaded == v);
}

TEST_CASE("joblib arrays read into memory are native-endian and keep their layout") {
    const auto v = joblib::load(fixtures() / "sample_p3.pkl");
    const auto& big = v["arrays"]["big_f8_fortran"].as_array();
    CHECK(big.meta().order == native_byte_order);
    CHECK(big.layout() == memory_order::fortran);
    CHECK(v["arrays"]["fortran_i2_3d"].as_array().layout() == memory_order::fortran);
    CHECK(v["np_float32"].as_scalar().type() == dtype::float32);
}
