// Pickles that would run code, truncated files, and flipped bytes: each load
// throws brine::error or returns the original value, and nothing runs.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <brine/io/memory.hpp>

#include <random>
#include <sstream>

using namespace brine::test;

namespace {

std::string message_of(const std::filesystem::path& file) {
    try {
        joblib::load(file, {.allow_objects = false});
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

// Loads `bytes` with `load`; returns true when it threw brine::error, and
// checks that anything it returned satisfies `accept`.
template <class Load, class Accept>
void each_load_throws_or(const std::vector<std::byte>& bytes, Load load, Accept accept) {
    try {
        io::memory_source src{std::span<const std::byte>(bytes)};
        accept(load(src));
    } catch (const error&) {
    }
}

value load_joblib_bytes(const std::vector<std::byte>& bytes) {
    std::string s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::istringstream in(s);
    return joblib::load(in);
}

}  // namespace

TEST_CASE("pickles that call os.system or eval are data or refused, naming the global, and nothing runs") {
    for (const char* name : {"evil_p2.pkl", "evil_p4.pkl"}) {
        CAPTURE(name);
        const auto msg = message_of(fixtures() / name);
        CHECK(msg.find("posix.system") != std::string::npos);
        CHECK_THROWS_AS(joblib::load(fixtures() / name, {.allow_objects = false}), unsupported_error);
        // By default the call is an object node: its name and arguments, as data.
        const auto v = joblib::load(fixtures() / name);
        CHECK(v["x"].as_object().class_name() == "posix.system");
        CHECK(v["x"].as_object().build == build_kind::reduce);
    }
    CHECK(message_of(fixtures() / "evil_eval.pkl").find("builtins.eval") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(fixtures() / "PWNED"));
}

TEST_CASE("every truncation of a joblib file throws") {
    const auto bytes = read_file(fixtures() / "small.pkl");
    const auto whole = joblib::load(fixtures() / "small.pkl");
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CAPTURE(n);
        const std::vector<std::byte> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        // A cut right after STOP would be whole; the file ends with STOP.
        CHECK_THROWS_AS(load_joblib_bytes(cut), error);
    }
    CHECK(load_joblib_bytes(bytes) == whole);
}

// `trials` random single-byte flips of `bytes`: each load throws brine::error
// (detected) or gives back exactly `whole` (the flip hit nothing that matters).
template <class Load>
void flips_throw_or_load_equal(const std::vector<std::byte>& bytes, const value& whole, Load load, unsigned seed, int trials) {
    std::mt19937 rng(seed);
    for (int i = 0; i < trials; ++i) {
        auto bad = bytes;
        const auto pos = rng() % bad.size();
        bad[pos] ^= static_cast<std::byte>(1 + rng() % 255);
        CAPTURE(pos);
        value got;
        try {
            got = load(bad);
        } catch (const error&) {
            continue;  // detected
        }
        CHECK(got == whole);
    }
}

TEST_CASE("byte flips in a gzip joblib file throw or load equal") {
    const auto bytes = read_file(fixtures() / "small.pkl.gz");
    flips_throw_or_load_equal(bytes, joblib::load(fixtures() / "small.pkl.gz"), load_joblib_bytes, 6, 300);
}

TEST_CASE("byte flips and truncations of an uncompressed joblib file never crash") {
    // Without a checksum a flip inside data loads a different value; what
    // matters is an error or a value, never a crash, hang or huge allocation.
    const auto bytes = read_file(fixtures() / "small.pkl");
    std::mt19937 rng(7);
    for (int i = 0; i < 500; ++i) {
        auto bad = bytes;
        bad[rng() % bad.size()] ^= static_cast<std::byte>(1 + rng() % 255);
        each_load_throws_or(bad, [](io::source& s) { return joblib::load(s); }, [](const value&) {});
    }
}

TEST_CASE("npy: truncations throw; flips throw or load") {
    const auto bytes = read_file(fixtures() / "float64.npy");
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<std::byte> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        io::memory_source src{std::span<const std::byte>(cut)};
        CHECK_THROWS_AS(npy::load(src), error);
    }
    std::mt19937 rng(8);
    for (int i = 0; i < 300; ++i) {
        auto bad = bytes;
        bad[rng() % bad.size()] ^= static_cast<std::byte>(1 + rng() % 255);
        each_load_throws_or(bad, [](io::source& s) { return npy::load(s); }, [](const ndarray&) {});
    }
}

TEST_CASE("npz: truncations throw; flips throw or load equal (CRC-32)") {
    for (const char* name : {"arrays.npz", "arrays_compressed.npz"}) {
        CAPTURE(name);
        const auto bytes = read_file(fixtures() / name);
        const auto whole = npz::load(fixtures() / name);
        auto load = [](const std::vector<std::byte>& b) {
            auto owner = std::make_shared<std::vector<std::byte>>(b);
            return npz::load(io::mapped_bytes{owner, *owner, false}, "<memory>");
        };
        for (std::size_t n = 0; n < bytes.size(); n += 7) {
            const std::vector<std::byte> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
            CHECK_THROWS_AS(load(cut), error);
        }
        flips_throw_or_load_equal(bytes, whole, load, 9, 300);
    }
}

TEST_CASE("a tiny pickle cannot claim huge sizes, deep nesting or exponential sharing") {
    auto load = [](std::string pickle) {
        std::istringstream in(pickle);
        return joblib::load(in);
    };
    // BINUNICODE8 claiming 2**62 bytes.
    CHECK_THROWS_AS(load(std::string("\x80\x04\x8d\x00\x00\x00\x00\x00\x00\x00\x40.", 12)), error);
    // An int wider than 64 bits (2**64) is kept losslessly, as builtins.int(hex, 16).
    const auto big = load(std::string("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", 14));
    CHECK(big.as_object().class_name() == "builtins.int");
    CHECK(big.as_object().args == list{value("10000000000000000"), value(std::int64_t{16})});
    // 100000 nested lists.
    std::string deep = "\x80\x02";
    for (int i = 0; i < 100000; ++i) deep += "]";
    for (int i = 0; i < 99999; ++i) deep += "a";
    deep += ".";
    CHECK_THROWS_AS(load(deep), limit_error);
    // A list that contains itself.
    CHECK_THROWS_AS(load(std::string("\x80\x02]q\x00h\x00" "a.", 9)), limit_error);
    // Billion laughs: each level is a list of ten references to the previous one.
    std::string laughs("\x80\x02X\x01\x00\x00\x00xq\x00", 10);
    for (int level = 0; level < 9; ++level) {
        laughs += "(";
        for (int k = 0; k < 10; ++k) laughs += std::string("h") + static_cast<char>(level);
        laughs += std::string("lq") + static_cast<char>(level + 1);
    }
    laughs += ".";
    CHECK_THROWS_AS(load(laughs), limit_error);
    // numpy.core.multiarray.scalar(numpy.dtype('U536870911')) without its
    // bytes: the all-NUL element is the empty str, and 2 GiB is never built.
    const std::string code = "U536870911";
    const auto empty = load(std::string("\x80\x02" "cnumpy.core.multiarray\nscalar\ncnumpy\ndtype\nX\x0a\x00\x00\x00", 50) + code +
                            "\x89\x88\x87R\x85R.");
    CHECK(empty == value(""));
    // Stack underflow, unknown opcode, missing memo entry.
    CHECK_THROWS_AS(load(std::string("\x80\x02" "a.", 4)), corrupt_error);
    CHECK_THROWS_AS(load(std::string("\x80\x02\xff.", 4)), corrupt_error);
    CHECK_THROWS_AS(load(std::string("\x80\x02h\x05.", 5)), corrupt_error);
}

TEST_CASE("a pickled object dtype with a sub-array in its state is refused by name") {
    // numpy.dtype('O8') built with (3, '|', 1, None, None, -1, -1, 63): the
    // object dtype has no element type, and the message still names it.
    using namespace std::string_literals;  // the pickle holds NUL bytes
    const std::string pickle = "\x80\x02" "cnumpy\ndtype\nX\x02\x00\x00\x00O8\x89\x88\x87R"s +
                               "(K\x03X\x01\x00\x00\x00|K\x01NNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?tb."s;
    std::istringstream in(pickle);
    try {
        joblib::load(in);
        FAIL("the dtype state was accepted");
    } catch (const corrupt_error& e) {
        INFO(std::string(e.what()));
        CHECK(std::string(e.what()).find("numpy.dtype |O with a sub-array or fields") != std::string::npos);
    }
}

namespace {

// A version 1.0 .npy file with `dict` as its header and `data` after it.
std::vector<std::byte> npy_with_header(std::string dict, std::size_t data_bytes) {
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    std::string s = "\x93NUMPY";
    s += '\x01';
    s += '\x00';
    s += static_cast<char>(dict.size() & 0xFF);
    s += static_cast<char>(dict.size() >> 8);
    s += dict;
    s.append(data_bytes, '\0');
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

std::string npy_error(const std::string& descr, std::size_t data_bytes = 64) {
    const auto file = npy_with_header("{'descr': " + descr + ", 'fortran_order': False, 'shape': (2,), }", data_bytes);
    io::memory_source src{std::span<const std::byte>(file)};
    try {
        npy::load(src);
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("npy: record descrs are checked before anything is sized by them") {
    // A valid one loads, padding entries and titles included.
    const auto ok = npy_with_header("{'descr': [('a', '<i2'), ('', '|V2'), (('title', 'b'), '>f4', (2,))], 'fortran_order': False, 'shape': (2,), }", 24);
    io::memory_source src{std::span<const std::byte>(ok)};
    const auto a = npy::load(src);
    CHECK(a.meta().width == 12);
    CHECK(a.meta().fields.size() == 2);
    CHECK(a.meta().fields[1].name == "b");
    CHECK(a.meta().fields[1].offset == 4);
    CHECK(a.meta().fields[1].shape == std::vector<std::uint64_t>{2});
    CHECK(a.meta().fields[1].type.order == native_byte_order);  // read into memory: native, field by field

    CHECK(npy_error("[('a', '<i2'), ('a', '<i4')]").find("two record fields named 'a'") != std::string::npos);
    CHECK(npy_error("[('a', '|O')]").find("field dtype '|O' is not supported") != std::string::npos);
    CHECK(npy_error("[('', '<i4')]").find("without a name that is not padding") != std::string::npos);
    CHECK(npy_error("[('a', '<f8', (1099511627776, 1099511627776))]").find("larger than") != std::string::npos);
    std::string deep = "'<i4'";
    for (int i = 0; i < 40; ++i) deep = "[('f', " + deep + ")]";
    CHECK(npy_error(deep).find("nested deeper than 32") != std::string::npos);
    std::string wide = "[";
    for (int i = 0; i <= 4096; ++i) wide += "('f" + std::to_string(i) + "','u1'),";  // within the 64 KiB header
    CHECK(npy_error(wide + "]").find("more than 4096 record fields") != std::string::npos);
    // The data must match the layout's size, as for any dtype.
    CHECK(npy_error("[('a', '<f8')]", 15).find("(no error)") == std::string::npos);
}
