// brine::joblib::dump, read back by Python's joblib.load and by brine.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <brine/brine.hpp>

#include <xtensor/xtensor.hpp>

#include <sstream>

using namespace brine::test;

namespace {

struct net {
    std::string name;
    std::vector<double> losses;
    xt::xtensor<float, 2> weights;
    std::map<std::string, int> tags;
};
BRINE_FIELDS(net, name, losses, weights, tags)

std::filesystem::path out_dir() {
    auto d = fixtures() / "written";
    std::filesystem::create_directories(d);
    return d;
}

}  // namespace

TEST_CASE("joblib.load reads brine's files back equal, for each codec and protocol") {
    // Start from what brine read (so it is brine's own tree), write it back.
    const auto v = joblib::load(fixtures() / "sample_p4.pkl");
    std::vector<std::filesystem::path> written;
    for (int proto : {2, 3, 4, 5})
        for (const std::string ext : {"", ".z", ".gz", ".bz2", ".lzma", ".xz"}) {
            const auto file = out_dir() / ("brine_p" + std::to_string(proto) + ".pkl" + ext);
            joblib::dump(v, file, {.protocol = proto});
            CHECK(joblib::load(file) == widened(v));
            written.push_back(file);
        }
    CHECK(python_agrees(written));
    // Debian's joblib has no lz4 module; brine checks its own lz4 output.
    const auto lz4 = out_dir() / "brine_p4.pkl.lz4";
    joblib::dump(v, lz4);
    CHECK(joblib::load(lz4) == widened(v));
    const auto unpacked = out_dir() / "brine_p4_from_lz4.pkl";
    if (std::system(("lz4 -d -q -f '" + lz4.string() + "' '" + unpacked.string() + "' 2>/dev/null").c_str()) == 0)
        CHECK(python_agrees({unpacked}));  // the standard lz4 tool reads the frames, joblib the pickle
}

TEST_CASE("joblib dump to a stream and with an explicit codec") {
    const auto v = sample();
    std::stringstream s;
    joblib::dump(v, s, {.codec = codec_id::gzip});
    s.seekg(0);
    CHECK(joblib::load(s) == widened(v));
    const auto file = out_dir() / "explicit_codec.pkl";
    joblib::dump(v, file, {.codec = codec_id::xz, .level = 1});
    CHECK(joblib::load(file) == widened(v));
    CHECK(python_agrees({file}));
    CHECK_THROWS_AS(joblib::dump(v, out_dir() / "x.pkl.zst"), unsupported_error);
}

TEST_CASE("joblib dump of a typed struct gives Python a dict of its fields") {
    net n{"net", {0.5, 0.25}, xt::xtensor<float, 2>{{0, 1, 2}, {3, 4, 5}}, {{"a", 1}, {"b", 2}}};
    const auto file = out_dir() / "struct.pkl";
    joblib::dump(n, file);
    CHECK(python_agrees({file}));
    const auto back = joblib::load(file);
    CHECK(back["name"] == value("net"));
    CHECK(back["weights"].as_array() == arange(dtype::float32, {2, 3}));
}

TEST_CASE("dict keys that Python cannot hash are refused") {
    map m{{value(dict{}), value(1L)}};
    std::stringstream s;
    CHECK_THROWS_AS(joblib::dump(value(m), s), type_error);
    // List keys become tuples.
    map ok{{value(list{1L, 2L}), value("pair")}};
    std::stringstream t;
    joblib::dump(value(ok), t);
    t.seekg(0);
    CHECK(joblib::load(t) == value(ok));
}
