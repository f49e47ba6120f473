// The record writer and reader against each other, below any typed layer.
#include "format/trailer.hpp"
#include "source_kinds.hpp"

#include <brine/format/reader.hpp>
#include <brine/format/toc.hpp>
#include <brine/format/writer.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>

using namespace brine;
using brine::test::all_source_kinds;
using brine::test::make_source;

namespace {

std::vector<std::byte> sample_file(std::size_t array_elements = 1000) {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_dict(5);
    w.write_key("name");
    w.write_string("r\xc3\xa9sum\xc3\xa9");
    w.write_key("count");
    w.write_number(std::int64_t{-42});
    w.write_key("flags");
    w.begin_list(3);
    w.write_number(true);
    w.write_none();
    w.write_number(std::numeric_limits<double>::quiet_NaN());
    w.end();
    w.write_key("weights");
    auto meta = array_meta::contiguous(dtype::float32, {array_elements / 10, 10});
    w.begin_array(meta);
    std::vector<float> data(array_elements);
    std::iota(data.begin(), data.end(), 0.5f);
    const auto* bytes = reinterpret_cast<const std::byte*>(data.data());
    // In uneven chunks, as a strided view would arrive.
    std::size_t done = 0, step = 7;
    while (done < data.size() * 4) {
        const auto n = std::min(step, data.size() * 4 - done);
        w.write_array_data({bytes + done, n});
        done += n;
        step = step * 3 + 1;
    }
    w.end_array();
    w.write_key("big");
    w.write_bytes(std::vector<std::byte>(5000, std::byte{7}));
    w.end();
    w.finish();
    return std::move(sink).take();
}

}  // namespace

TEST_CASE("records round-trip through every kind of source") {
    const auto file = sample_file();
    for (auto kind : all_source_kinds) {
        CAPTURE(static_cast<int>(kind));
        auto src = make_source(kind, file);
        format::reader r(*src, {});
        REQUIRE(r.begin_dict() == 5);
        CHECK(r.read_key() == "name");
        CHECK(r.read_string() == "r\xc3\xa9sum\xc3\xa9");
        CHECK(r.read_key() == "count");
        CHECK(r.read_scalar().get<std::int64_t>() == -42);
        CHECK(r.read_key() == "flags");
        REQUIRE(r.begin_list() == 3);
        CHECK(r.read_scalar().get<bool>() == true);
        CHECK(r.peek() == node_kind::none);
        r.read_none();
        CHECK(std::isnan(*r.read_scalar().get<double>()));
        r.end();
        CHECK(r.read_key() == "weights");
        const auto meta = r.begin_array();
        CHECK(meta.dtype == dtype::float32);
        CHECK(meta.shape == std::vector<std::uint64_t>{100, 10});
        CHECK(r.offset() % 64 == 0);
        std::vector<float> back(1000);
        r.read_array_data(std::as_writable_bytes(std::span(back)).first(400));
        r.read_array_data(std::as_writable_bytes(std::span(back)).subspan(400));
        r.end_array();
        CHECK(back[999] == 999.5f);
        CHECK(r.read_key() == "big");
        CHECK(r.read_bytes().size() == 5000);
        r.end();
        r.finish();
    }
}

TEST_CASE("a mapped payload is zero-copy and 64-byte aligned") {
    const auto file = sample_file(100000);
    auto shared = std::make_shared<std::vector<std::byte>>(file);
    io::memory_source src(io::mapped_bytes{shared, *shared, false}, "<mapped>");
    format::reader r(src, {});
    r.begin_dict();
    for (int i = 0; i < 3; ++i) {
        r.read_key();
        r.skip_value();
    }
    r.read_key();
    r.begin_array();
    auto buf = r.take_array_data(true);
    CHECK(buf.mapped());
    CHECK(reinterpret_cast<std::uintptr_t>(buf.data()) % 64 == reinterpret_cast<std::uintptr_t>(shared->data()) % 64);
    CHECK(buf.data() >= shared->data());
    CHECK(buf.data() < shared->data() + shared->size());
    r.end_array();
    r.read_key();
    r.skip_value();
    r.end();
    r.finish();
}

TEST_CASE("the table of contents indexes containers, arrays and long strings") {
    const auto file = sample_file();
    const auto t = format::decode_trailer(std::span(file).last(40), {"<memory>", 0});
    const auto toc = format::table_of_contents::decode(std::span(file).subspan(t.toc_offset + 1, t.toc_length - 1),
                                                       {"<memory>", 0}, t.toc_offset + 1, t.toc_offset);
    const auto& e = toc.entries();
    REQUIRE(e.size() == 4);  // root dict, flags list, weights array, big bytes
    CHECK(e[0].kind == node_kind::dict);
    CHECK(e[0].offset == 64);
    CHECK(toc.child(0, std::string_view("weights")).value() == 2);
    CHECK(e[2].kind == node_kind::array);
    CHECK(e[3].key == "big");
    CHECK(e[3].offset + e[3].length == e[0].offset + e[0].length);
    CHECK(e[0].offset + e[0].length == t.toc_offset);
}

TEST_CASE("a wrong request names the path and both types") {
    const auto file = sample_file();
    auto src = make_source(brine::test::source_kind::pipe, file);
    format::reader r(*src, {});
    r.begin_dict();
    r.read_key();
    r.skip_value();
    r.read_key();
    r.skip_value();
    r.read_key();
    r.skip_value();
    r.read_key();
    try {
        r.read_string();
        FAIL("expected a type error");
    } catch (const type_error& e) {
        CHECK(std::string(e.what()).find("root[\"weights\"]: stored float32 array of shape (100, 10), requested std::string") !=
              std::string::npos);
    }
}

TEST_CASE("not a brine file, and a future version") {
    std::vector<std::byte> junk(100, std::byte{'x'});
    io::memory_source src(junk);
    CHECK_THROWS_AS(format::reader(src, {}), format_error);
    auto file = sample_file();
    file[8] = std::byte{2};
    io::memory_source future(file);
    CHECK_THROWS_WITH_AS(format::reader(future, {}), doctest::Contains("unsupported brine format version 2"), format_error);
}

TEST_CASE("nesting depth is bounded") {
    io::memory_sink sink;
    format::writer w(sink);
    for (int i = 0; i < 20; ++i) w.begin_list(1);
    w.write_none();
    for (int i = 0; i < 20; ++i) w.end();
    w.finish();
    io::memory_source src(sink.bytes());
    format::reader r(src, {.max_depth = 10});
    CHECK_THROWS_AS(r.skip_value(), limit_error);
}

TEST_CASE("many small records crossing the reader's window, read and skipped") {
    // Padding, keys, strings and checksums straddle the 256 KiB window of a
    // stream reader at many points; the structure hash must still match.
    io::memory_sink sink;
    format::writer w(sink);
    const std::uint64_t n = 20000;
    w.begin_list(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        w.begin_dict(3);
        w.write_key("k" + std::to_string(i));
        w.write_string(std::string(i % 97 == 0 ? 300000 : i % 13, 'x'));
        w.write_key("a");
        w.begin_array(array_meta::contiguous(dtype::float64, {i % 5}));
        std::vector<double> d(i % 5, 1.5);
        w.write_array_data(std::as_bytes(std::span(d)));
        w.end_array();
        w.write_key("s");
        w.write_number(static_cast<std::uint32_t>(i));
        w.end();
    }
    w.end();
    w.finish();
    for (auto kind : all_source_kinds) {
        for (bool skip : {false, true}) {
            CAPTURE(static_cast<int>(kind));
            CAPTURE(skip);
            auto src = make_source(kind, sink.bytes());
            format::reader r(*src, {});
            REQUIRE(r.begin_list() == n);
            for (std::uint64_t i = 0; i < n; ++i) {
                r.begin_dict();
                r.read_key();
                if (skip) r.skip_value();
                else CHECK(r.read_string().size() == (i % 97 == 0 ? 300000 : i % 13));
                r.read_key();
                if (skip) {
                    r.skip_value();
                } else {
                    r.begin_array();
                    r.take_array_data(false);
                    r.end_array();
                }
                r.read_key();
                CHECK(r.read_scalar().get<std::uint32_t>() == i);
                r.end();
            }
            r.end();
            CHECK_NOTHROW(r.finish());
        }
    }
}

TEST_CASE("error paths name the right child, or the container itself") {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_list(3);
    w.write_number(1);
    w.write_number(2);
    w.write_string("x");
    w.end();
    w.finish();
    {
        io::memory_source src(sink.bytes());
        format::reader r(src, {});
        r.begin_list();
        r.read_scalar();
        r.read_scalar();
        CHECK_THROWS_WITH_AS(r.read_scalar(), doctest::Contains("root[2]: stored string, requested a number"), type_error);
    }
    {
        io::memory_source src(sink.bytes());
        format::reader r(src, {});
        r.begin_list();
        CHECK_THROWS_WITH_AS(r.type_mismatch("list of 3", "std::pair<int, int>"),
                             doctest::Contains("root: stored list of 3, requested std::pair<int, int>"), type_error);
        r.read_scalar();
        CHECK_THROWS_WITH_AS(r.type_mismatch("int32", "std::uint8_t"), doctest::Contains("root[0]: stored int32"), type_error);
    }
}

TEST_CASE("the reservation budget follows the input actually left, with a 1 MiB floor") {
    // A list of 200 000 nones: 200 KB of input that builds 200 000 values.
    constexpr std::uint64_t count = 200'000;
    io::memory_sink sink;
    {
        format::writer w(sink);
        w.begin_list(count);
        for (std::uint64_t i = 0; i < count; ++i) w.write_none();
        w.end();
        w.finish();
    }
    const auto bytes = std::move(sink).take();
    for (auto kind : all_source_kinds) {
        CAPTURE(static_cast<int>(kind));
        auto in = make_source(kind, bytes);
        format::reader r(*in, {});
        REQUIRE(r.begin_list() == count);
        const auto budget = r.reservation_budget();
        if (kind == brine::test::source_kind::pipe) {
            CHECK(budget == std::uint64_t{1} << 20);  // nothing vouches for the count
        } else {
            CHECK(budget >= 64 * count);  // a 200 KB input may reserve for what it can build
            CHECK(budget <= 64 * bytes.size());
        }
    }
}
