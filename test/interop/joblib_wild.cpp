// The joblib files people actually have (issue 12): what brine writes for
// joblib loads in Python's joblib, whatever the codec and the block count.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <brine/brine.hpp>

#include <fstream>

using namespace interop_test;

namespace {

// wild.py's fixtures, made once per run in their own directory.
const std::filesystem::path& wild() {
    static const std::filesystem::path dir = [] {
        auto d = fixtures() / "wild";
        const std::string cmd = "/usr/bin/python3 " BRINE_WILD_SCRIPT " make " + d.string();
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("fixture generation failed: " + cmd);
        return d;
    }();
    return dir;
}

bool python_finds_same(const std::filesystem::path& source, const std::vector<std::filesystem::path>& outs) {
    std::string cmd = "/usr/bin/python3 " BRINE_WILD_SCRIPT " same '" + source.string() + "'";
    for (const auto& f : outs) cmd += " '" + f.string() + "'";
    return std::system(cmd.c_str()) == 0;
}

}  // namespace

TEST_CASE("joblib files brine writes load in Python's joblib with every codec, in several blocks") {
    const auto source = wild() / "big.pkl";
    const auto v = joblib::load(source);
    std::vector<std::filesystem::path> outs;
    for (const std::string ext : {".z", ".gz", ".bz2", ".lzma", ".xz", ".lz4"}) {
        const auto out = wild() / ("big_out.pkl" + ext);
        // 12 MB: 12 blocks of 1 MiB for zlib and gzip, 3 of xz's 4 MiB.
        joblib::dump(v, out, {.level = 1, .threads = 2});
        CHECK(joblib::load(out) == v);
        outs.push_back(out);
    }
    CHECK(python_finds_same(source, outs));
}
