// The joblib files people actually have (issue 12): what brine writes for
// joblib loads in Python's joblib, whatever the codec and the block count.
#include "sample.hpp"

#include "../../fuzz/old_joblib_pickles.hpp"

#include <doctest/doctest.h>

#include <brine/brine.hpp>

#include <fstream>
#include <sstream>

#include <xtensor/xtensor.hpp>

using namespace brine::test;

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

// A pickle written as a string literal, embedded zero bytes included.
template <std::size_t N>
std::string pickle_bytes(const char (&literal)[N]) {
    return std::string(literal, N - 1);
}

bool python_check(const char* check, const std::filesystem::path& source, const std::vector<std::filesystem::path>& outs) {
    std::string cmd = "/usr/bin/python3 " BRINE_WILD_SCRIPT " " + std::string(check) + " '" + source.string() + "'";
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
    // Blocks of a chosen size (48 of 256 KiB) are still one gzip member.
    const auto small_blocks = wild() / "big_out_small_blocks.pkl.gz";
    joblib::dump(v, small_blocks, {.level = 1, .threads = 2, .block_size = 256 << 10, .durable = false});
    CHECK(joblib::load(small_blocks) == v);
    outs.push_back(small_blocks);
    CHECK(python_check("same", source, outs));
}

namespace {

// joblib -> brine::value -> brine file (each codec) -> brine::value -> joblib
// files; returns the joblib files written.
std::vector<std::filesystem::path> round_trip(const std::string& stem) {
    const auto v = joblib::load(wild() / (stem + ".joblib"));
    std::vector<std::filesystem::path> outs;
    for (const std::string ext : {"", ".zst"}) {
        const auto native = wild() / (stem + ".brine" + ext);
        brine::dump(v, native);
        const auto back = brine::load(native);
        CHECK(back == v);
        CHECK(brine::verify(native).ok);
        for (const std::string jext : {"", ".gz"}) {
            const auto out = wild() / (stem + "_back" + ext + ".joblib" + jext);
            joblib::dump(back, out);
            CHECK(joblib::load(out) == v);
            outs.push_back(out);
        }
    }
    return outs;
}

}  // namespace

TEST_CASE("a scikit-learn LogisticRegression is an object node whose state holds its arrays") {
    const auto v = joblib::load(wild() / "lr.joblib");
    REQUIRE(v.is_object());
    const auto& o = v.as_object();
    CHECK(o.class_name() == "sklearn.linear_model._logistic.LogisticRegression");
    CHECK(o.build == build_kind::newobj);
    CHECK(o.has_state);
    CHECK(v["coef_"].as_array().shape() == std::vector<std::uint64_t>{1, 4});
    CHECK(v["penalty"] == value("l2"));
    CHECK(to_string(v).starts_with("sklearn.linear_model._logistic.LogisticRegression().__setstate__({"));

    const auto native = wild() / "lr_path.brine";
    brine::dump(v, native);
    for (const auto& file : {native, wild() / "lr.joblib"}) {  // brine::open reads both
        const auto coef = brine::open(file)["coef_"].load<xt::xtensor<double, 2>>();
        CHECK(coef.shape()[1] == 4);
        CHECK(coef(0, 3) == v["coef_"].as_array().at(std::uint64_t{3}).as<double>());
        CHECK(brine::open(file).root().kind() == node_kind::object);
        CHECK(brine::open(file)["classes_"].value() == v["classes_"]);
    }
}

TEST_CASE("scikit-learn models survive joblib -> brine -> joblib and predict the same in Python") {
    const auto lr = round_trip("lr");
    CHECK(python_check("predicts-same", wild() / "lr.joblib", lr));
    const auto pipe = round_trip("pipe");
    CHECK(python_check("predicts-same", wild() / "pipe.joblib", pipe));
}

TEST_CASE("a pandas DataFrame survives joblib -> brine -> joblib: DataFrame.equals in Python") {
    const auto v = joblib::load(wild() / "frame.joblib");
    REQUIRE(v.is_object());
    CHECK(v.as_object().class_name() == "pandas.core.frame.DataFrame");
    CHECK(v["_typ"] == value("dataframe"));
    const auto outs = round_trip("frame");
    CHECK(python_check("frames-equal", wild() / "frame.joblib", outs));
}

TEST_CASE("load_options::allow_objects = false refuses object nodes with the allowlist message") {
    for (const auto* stem : {"lr.joblib", "frame.joblib"}) {
        try {
            (void)joblib::load(wild() / stem, {.allow_objects = false});
            FAIL("loaded");
        } catch (const unsupported_error& e) {
            CHECK(std::string(e.what()).find("is not on brine's allowlist") != std::string::npos);
        }
    }
    // The same switch refuses them in brine's own files.
    const auto native = wild() / "lr_refuse.brine";
    brine::dump(joblib::load(wild() / "lr.joblib"), native);
    CHECK_THROWS_AS(brine::load(native, {.allow_objects = false}), type_error);
}

TEST_CASE("an object that contains itself through the memo is a clear error, never a loop") {
    // PROTO 2; GLOBAL 'm C'; EMPTY_TUPLE; NEWOBJ; BINPUT 0; EMPTY_DICT;
    // 'me' -> BINGET 0; SETITEM; BUILD; STOP.
    const auto p = pickle_bytes("\x80\x02" "cm\nC\n)\x81q\x00}X\x02\x00\x00\x00meh\x00sb.");
    std::istringstream in(p);
    CHECK_THROWS_AS(joblib::load(in), limit_error);
}

TEST_CASE("INST and OBJ (protocols 0 and 1) build object nodes without calling anything") {
    // MARK; BININT1 7; INST 'm C'; STOP / MARK; GLOBAL 'm C'; BININT1 7; OBJ; STOP
    std::istringstream inst(pickle_bytes("(K\x07im\nC\n."));
    const auto a = joblib::load(inst);
    CHECK(a.as_object().build == build_kind::inst);
    CHECK(a.as_object().args == list{value(std::int64_t{7})});
    std::istringstream obj(pickle_bytes("(cm\nC\nK\x07o."));
    const auto b = joblib::load(obj);
    CHECK(b.as_object().build == build_kind::obj);
    CHECK(b.as_object().class_name() == "m.C");
}

TEST_CASE("Python ints of any size are kept losslessly and come back equal in Python") {
    // -(2**100) - 5 and 2**70 + 3: LONG1 little-endian two's complement.
    std::istringstream in(pickle_bytes("\x80\x02]q\x00(\x8a\x0e\xfb\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xef\xff"
                                       "\x8a\x0a\x03\x00\x00\x00\x00\x00\x00\x00\x40\x00" "e."));
    const auto v = joblib::load(in);
    CHECK(v[0].as_object().args[0] == value("-10000000000000000000000005"));
    CHECK(v[1].as_object().args[0] == value("400000000000000003"));
    const auto out = wild() / "bigints.pkl";
    joblib::dump(v, out);
    CHECK(std::system(("/usr/bin/python3 -c \"import joblib,sys; sys.exit(joblib.load('" + out.string() +
                       "') != [-(2**100) - 5, 2**70 + 3])\"").c_str()) == 0);
}

TEST_CASE("joblib < 0.10: an NDArrayWrapper's .npy companion is read from the pickle's directory only") {
    const auto dir = fixtures() / "old_joblib";
    std::filesystem::create_directories(dir);
    const std::string pickle(fuzz::ndarray_wrapper_pickle);
    const auto path = dir / "s.pkl";
    std::ofstream(path, std::ios::binary) << pickle;
    const std::vector<double> elements{1.5, 2.5, 3.5};
    const auto a = ndarray::copy_of(std::span<const double>(elements), {3});
    npy::dump(a, dir / "s.pkl_01.npy");

    const auto loaded = joblib::load(path);
    CHECK(loaded["a"].as_array() == a);
    // Mapped when the load asks for it, as joblib maps companions.
    CHECK(joblib::load(path, {.mmap = mmap_mode::read_only})["a"].as_array().mapped());

    // A stream has no directory: the companion is named in the refusal, and
    // found once the directory is given.
    std::istringstream stream(pickle);
    CHECK_THROWS_WITH_AS(joblib::load(stream), doctest::Contains("companion file 's.pkl_01.npy'"), unsupported_error);
    std::istringstream again(pickle);
    CHECK(joblib::load(again, dir)["a"].as_array() == a);

    // Without the companion: an error that names it.
    std::filesystem::remove(dir / "s.pkl_01.npy");
    CHECK_THROWS_WITH_AS(joblib::load(path), doctest::Contains("s.pkl_01.npy"), error);
}

namespace {
const std::string zndarray_pickle(fuzz::zndarray_wrapper_pickle);

// joblib's write_zfile: "ZF", the length in hex padded to 19 (20 under
// Python 2's joblib <= 0.8.4), a zlib stream.
void write_zfile(const std::filesystem::path& path, std::span<const std::byte> raw, std::string length_field,
                 std::size_t width = 19) {
    std::ofstream out(path, std::ios::binary);
    length_field.resize(width, ' ');
    out << "ZF" << length_field;
    codec_ostream z(out, codec_id::zlib, 3, 1);
    z.write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
    z.finish();
}
}  // namespace

TEST_CASE("joblib < 0.10: a Z-file pickle and a ZNDArrayWrapper's .npy.z companion") {
    const auto dir = fixtures() / "old_joblib_z";
    std::filesystem::create_directories(dir);
    const std::vector<double> elements{1.5, -2.5, 3.5};
    const auto raw = std::as_bytes(std::span(elements));
    write_zfile(dir / "s.pkl_01.npy.z", raw, "0x18");
    // The pickle itself in a Z-file too, as joblib 0.9 wrote compressed dumps.
    write_zfile(dir / "s.pkl", std::as_bytes(std::span(zndarray_pickle)), "0x" + [] {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%zx", zndarray_pickle.size());
        return std::string(hex);
    }());
    CHECK(identify(dir / "s.pkl").codec == codec_id::zlib);
    CHECK(identify(dir / "s.pkl").format == file_format::joblib);
    const auto expected = ndarray::copy_of(std::span<const double>(elements), {3});
    CHECK(joblib::load(dir / "s.pkl")["a"].as_array() == expected);
    CHECK(brine::open(dir / "s.pkl")["a"].load<std::vector<double>>() == elements);

    SUBCASE("the length field without 0x, and Python 2's wider header") {
        write_zfile(dir / "s.pkl_01.npy.z", raw, "18", 20);
        CHECK(joblib::load(dir / "s.pkl")["a"].as_array() == expected);
    }
    SUBCASE("a length that is not what the stream holds") {
        write_zfile(dir / "s.pkl_01.npy.z", raw, "0x19");
        CHECK_THROWS_WITH_AS(joblib::load(dir / "s.pkl"), doctest::Contains("Z-file header declares 25"), error);
        // The largest length: nothing is allocated on it, and the short stream is still caught.
        write_zfile(dir / "s.pkl_01.npy.z", raw, "0xffffffffffffffff");
        CHECK_THROWS_WITH_AS(joblib::load(dir / "s.pkl"), doctest::Contains("Z-file header declares 18446744073709551615"), error);
    }
    SUBCASE("a malformed header") {
        write_zfile(dir / "s.pkl_01.npy.z", raw, "0xZZ");
        CHECK_THROWS_WITH_AS(joblib::load(dir / "s.pkl"), doctest::Contains("s.pkl_01.npy.z"), error);
    }
}
