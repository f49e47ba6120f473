// Every truncation and a few hundred byte flips of a small file: each read
// either throws brine::error or gives back exactly the original tree.
#include "source_kinds.hpp"

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <random>

using namespace brine;

namespace {

// A canonical text of the whole tree, reading every record and payload.
void canonical(format::reader& r, std::string& out) {
    switch (r.peek()) {
    case node_kind::none: r.read_none(); out += "N"; break;
    case node_kind::scalar: out += r.read_scalar().to_string() + ","; break;
    case node_kind::string: out += "S" + r.read_string() + ","; break;
    case node_kind::bytes: out += "B" + std::to_string(r.read_bytes().size()) + ","; break;
    case node_kind::list: {
        const auto n = r.begin_list();
        out += "[";
        for (std::uint64_t i = 0; i < n; ++i) canonical(r, out);
        r.end();
        out += "]";
        break;
    }
    case node_kind::dict: {
        const auto n = r.begin_dict();
        out += "{";
        for (std::uint64_t i = 0; i < n; ++i) {
            out += r.read_key() + ":";
            canonical(r, out);
        }
        r.end();
        out += "}";
        break;
    }
    case node_kind::map: {
        const auto n = r.begin_map();
        for (std::uint64_t i = 0; i < 2 * n; ++i) canonical(r, out);
        r.end();
        break;
    }
    case node_kind::array: {
        const auto& m = r.begin_array();
        out += m.describe();
        auto buf = r.take_array_data(false);
        for (auto b : buf.bytes()) out += static_cast<char>(b);
        r.end_array();
        break;
    }
    }
}

std::string read_all(io::source& src) {
    format::reader r(src, {});
    std::string out;
    canonical(r, out);
    r.finish();
    return out;
}

std::vector<std::byte> small_file() {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_dict(6);
    w.write_key("a");
    w.begin_list(2);
    w.write_number(1.5);
    w.write_string("x");
    w.end();
    w.write_key("m");
    w.begin_map(1);
    w.write_number(std::uint16_t{7});
    w.write_none();
    w.end();
    w.write_key("arr");
    w.begin_array(array_meta::contiguous(dtype::int16, {3, 2}, memory_order::fortran));
    const std::int16_t d[6] = {1, 2, 3, 4, 5, 6};
    w.write_array_data(std::as_bytes(std::span(d)));
    w.end_array();
    w.write_key("b");
    w.write_bytes(std::vector<std::byte>(3, std::byte{1}));
    // Format 1.2: the time unit field of a scalar and of an array.
    w.write_key("t");
    w.write_scalar(scalar::time(dtype::datetime64, 18000, {time_unit::minute, 15}));
    w.write_key("dt");
    auto times = array_meta::contiguous(dtype::timedelta64, {2});
    times.unit = {time_unit::nanosecond, 1};
    w.begin_array(times);
    const std::int64_t ticks[2] = {5, not_a_time};
    w.write_array_data(std::as_bytes(std::span(ticks)));
    w.end_array();
    w.end();
    w.finish();
    return std::move(sink).take();
}

}  // namespace

TEST_CASE("every truncation is an error") {
    const auto file = small_file();
    for (auto kind : brine::test::all_source_kinds) {
        for (std::size_t n = 0; n < file.size(); ++n) {
            CAPTURE(n);
            auto src = brine::test::make_source(kind, {file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n)});
            CHECK_THROWS_AS(read_all(*src), brine::error);
        }
    }
}

TEST_CASE("byte flips are detected or harmless") {
    const auto file = small_file();
    io::memory_source clean(file);
    const auto original = read_all(clean);
    std::mt19937 rng(12345);
    int detected = 0;
    for (int trial = 0; trial < 600; ++trial) {
        auto bad = file;
        const auto pos = rng() % bad.size();
        bad[pos] ^= static_cast<std::byte>(1u << (rng() % 8));
        for (auto kind : brine::test::all_source_kinds) {
            CAPTURE(pos);
            auto src = brine::test::make_source(kind, bad);
            std::string got;
            try {
                got = read_all(*src);
            } catch (const brine::error&) {
                ++detected;
                continue;
            }
            CHECK(got == original);
        }
    }
    CHECK(detected > 1200);  // almost every flip is caught; padding flips are harmless
}

TEST_CASE("a time unit field out of range is corrupt, and says so") {
    const auto file = small_file();
    io::memory_source clean(file);
    CHECK(read_all(clean).find("timedelta64[ns] array of shape (2,)") != std::string::npos);
    // The scalar's field: dtype 14, then base 6 (minutes) and count 15.
    const std::array<std::byte, 3> field{std::byte{14}, std::byte{6}, std::byte{15}};
    const auto at = std::search(file.begin(), file.end(), field.begin(), field.end());
    REQUIRE(at != file.end());
    const auto offset = static_cast<std::size_t>(at - file.begin());
    for (const auto& [base, count] : {std::pair{14, 1}, std::pair{0, 2}, std::pair{6, 0}}) {
        auto bad = file;
        bad[offset + 1] = static_cast<std::byte>(base);
        bad[offset + 2] = static_cast<std::byte>(count);
        io::memory_source src(bad);
        CHECK_THROWS_WITH_AS(read_all(src), doctest::Contains("invalid time unit"), corrupt_error);
    }
}
