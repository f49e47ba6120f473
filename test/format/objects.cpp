// Object records (tag 0x0A, format 1.1): written and read back, indexed in
// the table of contents like containers, and every truncation and byte flip
// of a file holding one is a brine::error or the same tree.
#include <brine/brine.hpp>
#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/memory.hpp>

#include <doctest/doctest.h>

using namespace brine;

namespace {

std::vector<std::byte> object_file() {
    io::memory_sink sink;
    format::writer w(sink);
    w.begin_list(2);
    w.begin_object("sklearn.linear_model._logistic", "LogisticRegression", build_kind::newobj, true);
    w.begin_list(0);  // args
    w.end();
    w.begin_dict(0);  // kwargs
    w.end();
    w.begin_dict(2);  // state
    w.write_key("penalty");
    w.write_string("l2");
    w.write_key("coef_");
    w.begin_array(array_meta::contiguous(dtype::float64, {1, 2}));
    const double coef[] = {0.5, -1.5};
    w.write_array_data(std::as_bytes(std::span(coef)));
    w.end_array();
    w.end();
    w.begin_list(0);  // items
    w.end();
    w.begin_map(0);  // dict_items
    w.end();
    w.end();
    w.write_number(std::int64_t{7});
    w.end();
    w.finish();
    return std::move(sink).take();
}

value read_value(const std::vector<std::byte>& file) {
    io::memory_source src{std::span<const std::byte>(file)};
    format::reader r(src, {});
    value v;
    load(r, v);
    r.finish();
    return v;
}

}  // namespace

TEST_CASE("an object record reads back as brine::object, with its table-of-contents entry") {
    const auto file = object_file();
    CHECK(file[10] == std::byte{4});  // minor version 1.4 (objects since 1.1)
    const auto v = read_value(file);
    const auto& o = v[0].as_object();
    CHECK(o.class_name() == "sklearn.linear_model._logistic.LogisticRegression");
    CHECK(o.build == build_kind::newobj);
    CHECK(o.has_state);
    CHECK(v[0]["penalty"] == value("l2"));
    CHECK(v[0]["coef_"].as_array().at(std::uint64_t{1}).as<double>() == -1.5);
    CHECK(v[1] == value(std::int64_t{7}));
    // Written again from the value, the bytes are the same.
    io::memory_sink again;
    format::writer w(again);
    save(w, v);
    w.finish();
    CHECK(std::move(again).take() == file);
}

TEST_CASE("object records: every truncation and byte flip throws brine::error or reads the same tree") {
    const auto file = object_file();
    const auto expected = read_value(file);
    for (std::size_t n = 0; n < file.size(); ++n) {
        const std::vector<std::byte> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
        CHECK_THROWS_AS(read_value(cut), error);
    }
    std::size_t errors = 0;
    for (std::size_t i = 64; i < file.size(); ++i)
        for (const auto flip : {std::byte{0x01}, std::byte{0x80}, std::byte{0x0b}}) {
            auto bad = file;
            bad[i] ^= flip;
            value got;
            try {
                got = read_value(bad);
            } catch (const error&) {
                ++errors;
                continue;
            }
            CHECK(got == expected);  // only padding bytes may change nothing
        }
    CHECK(errors > 0);
}

TEST_CASE("unknown build kinds and flags in an object record are corrupt") {
    auto file = object_file();
    // The object record follows the list tag and count at offset 64.
    const std::size_t at = 64 + 2;
    REQUIRE(file[at] == std::byte{0x0A});
    const std::size_t build_at = at + 1 + 1 + 30 + 1 + 18;
    REQUIRE(file[build_at] == std::byte{2});
    auto bad_build = file;
    bad_build[build_at] = std::byte{6};
    CHECK_THROWS_AS(read_value(bad_build), error);
    auto bad_flags = file;
    bad_flags[build_at + 1] = std::byte{2};
    CHECK_THROWS_AS(read_value(bad_flags), error);
    // A reader that wants plain data refuses the object by name.
    io::memory_source src{std::span<const std::byte>(file)};
    format::reader r(src, {.allow_objects = false});
    value v;
    CHECK_THROWS_AS(load(r, v), type_error);
}
