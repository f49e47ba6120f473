// Format 1.1's tuple record (tag 0x09): a list to C++, a tuple to Python.
#include "format/constants.hpp"
#include "source_kinds.hpp"

#include <brine/brine.hpp>
#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <tuple>
#include <vector>

using namespace brine;

namespace {

std::vector<std::byte> tuple_file() {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_list(2);
    w.begin_tuple(2);
    w.write_number(std::int64_t{1});
    w.write_string("a");
    w.end();
    w.begin_tuple(0);
    w.end();
    w.end();
    w.finish();
    return std::move(sink).take();
}

}  // namespace

TEST_CASE("a tuple record is tag 0x09, reads as a list, and says it is a tuple") {
    const auto file = tuple_file();
    CHECK(static_cast<std::uint8_t>(file[10]) == format::v1::minor_version);
    CHECK(format::v1::minor_version == 4);  // tuples since 1.1
    CHECK(static_cast<std::uint8_t>(file[64 + 2]) == format::v1::tuple_tag);  // after the outer list's tag and count
    for (auto kind : test::all_source_kinds) {
        CAPTURE(static_cast<int>(kind));
        auto src = test::make_source(kind, file);
        format::reader r(*src, {});
        REQUIRE(r.begin_list() == 2);
        CHECK(r.peek() == node_kind::list);
        CHECK(r.peek_tuple());
        REQUIRE(r.begin_list() == 2);
        CHECK(r.read_scalar().as<std::int64_t>() == 1);
        CHECK(r.read_string() == "a");
        r.end();
        CHECK(r.peek_tuple());
        r.skip_value();
        r.end();
        const auto toc = r.finish();
        CHECK(toc.entries()[1].kind == node_kind::list);  // the table of contents lists tuples as lists
    }
}

TEST_CASE("brine::value keeps the tuple flag; typed C++ loads see lists") {
    const auto file = tuple_file();
    std::stringstream s(std::string(reinterpret_cast<const char*>(file.data()), file.size()));
    auto v = brine::load(s);
    REQUIRE(v.is_list());
    CHECK(!v.is_tuple());
    CHECK(v[0].is_tuple());
    CHECK(v[0].kind() == node_kind::list);
    CHECK(v[0] == value(list{std::int64_t{1}, "a"}));  // equal to the list: C++ sees a list

    std::stringstream again;
    brine::dump(v, again);
    again.seekg(0);
    auto back = brine::load(again);
    CHECK(back[0].is_tuple());
    CHECK(back[1].is_tuple());

}

TEST_CASE("typed C++ loads read a tuple record as the list it is") {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_tuple(2);
    w.write_number(std::int64_t{7});
    w.write_string("seven");
    w.end();
    w.finish();
    const auto file = std::move(sink).take();
    std::stringstream s(std::string(reinterpret_cast<const char*>(file.data()), file.size()));
    CHECK(brine::load<std::tuple<std::int64_t, std::string>>(s) == std::tuple<std::int64_t, std::string>{7, "seven"});
    s.clear();
    s.seekg(0);
    CHECK(brine::load<std::pair<long, std::string>>(s) == std::pair<long, std::string>{7, "seven"});
}

// Format 1.3's bytearray record (tag 0x0B) is to bytes what a tuple is to a
// list: bytes to C++, a bytearray to Python.
TEST_CASE("a bytearray record is tag 0x0B, reads as bytes, and says it is a bytearray") {
    const bytes payload{std::byte{'x'}, std::byte{0}, std::byte{0xff}};
    std::stringstream s;
    brine::dump(value(dict{{"ba", value::bytearray(payload)}, {"b", value(payload)}}), s);
    const auto text = s.str();
    const std::vector<std::byte> file(reinterpret_cast<const std::byte*>(text.data()),
                                      reinterpret_cast<const std::byte*>(text.data()) + text.size());
    // header, dict tag, count, key length, "ba", then the value's tag
    CHECK(static_cast<std::uint8_t>(file[64 + 5]) == format::v1::bytearray_tag);
    for (auto kind : test::all_source_kinds) {
        CAPTURE(static_cast<int>(kind));
        auto src = test::make_source(kind, file);
        format::reader r(*src, {});
        REQUIRE(r.begin_dict() == 2);
        CHECK(r.read_key() == "ba");
        CHECK(r.peek() == node_kind::bytes);
        CHECK(r.peek_bytearray());
        CHECK(r.read_bytes() == payload);
        CHECK(r.read_key() == "b");
        CHECK_FALSE(r.peek_bytearray());
        r.skip_value();
        r.end();
        const auto toc = r.finish();
        CHECK(toc.entries().size() >= 1);
    }
    s.seekg(0);
    const auto v = brine::load(s);
    CHECK(v["ba"].is_bytearray());
    CHECK_FALSE(v["b"].is_bytearray());
    CHECK(v["ba"].kind() == node_kind::bytes);
    CHECK(v["ba"] == v["b"]);  // equal to the bytes: C++ sees bytes
    CHECK(to_string(v["ba"]) == "bytearray(b'x\\x00\\xff')");
    s.clear();
    s.seekg(0);
    CHECK(brine::load<std::map<std::string, std::vector<std::byte>>>(s).at("ba") == payload);
    std::stringstream again;
    brine::dump(v, again);
    again.seekg(0);
    CHECK(brine::load(again)["ba"].is_bytearray());
}
