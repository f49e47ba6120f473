// What users see when things go wrong: one brine::error subclass each,
// with the file, the offset and what was expected in the message.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace {

using brine::test::write_file;

}  // namespace

TEST_CASE("a missing file is an io_error naming it") {
    const auto missing = brine::test::scratch_root() / "missing.brine";
    CHECK_THROWS_WITH_AS(brine::load<int>(missing), doctest::Contains(missing.string().c_str()), brine::io_error);
}

TEST_CASE("unknown magic is a format_error") {
    const auto file = brine::test::scratch_root() / "junk.brine";
    write_file(file, std::vector<std::byte>(200, std::byte{'j'}));
    CHECK_THROWS_WITH_AS(brine::load(file), doctest::Contains("not a brine file"), brine::format_error);
}

TEST_CASE("wrong requested type is a type_error with path and both types") {
    const auto file = brine::test::scratch_root() / "typed.brine";
    std::map<std::string, std::vector<xt::xtensor<double, 1>>> tree{{"layers", {xt::xtensor<double, 1>::from_shape({10})}}};
    brine::dump(tree, file);
    try {
        brine::load<std::map<std::string, std::vector<std::string>>>(file);
        FAIL("expected a type_error");
    } catch (const brine::type_error& e) {
        CHECK(std::string(e.what()).find("root[\"layers\"][0]: stored float64 array of shape (10,), requested std::string") !=
              std::string::npos);
        CHECK(e.file() == file.string());
        CHECK(e.offset().has_value());
    }
    using float_layers = std::map<std::string, std::vector<xt::xtensor<float, 1>>>;
    CHECK_THROWS_AS(brine::load<float_layers>(file), brine::type_error);
}

// Truncations of every codec's files, at every length, are in
// test/reliability/damaged_files.cpp.

TEST_CASE("a failed dump leaves the previous file untouched") {
    const auto file = brine::test::scratch_root() / "keep.brine";
    brine::dump(std::string("old"), file);
    // A writer misuse in the middle of the dump (announced 2, wrote 1) aborts it.
    CHECK_THROWS_AS(
        [&] {
            brine::detail::dump_session s(file, {});
            s.writer().begin_list(2);
            s.writer().write_none();
            s.finish();
        }(),
        brine::error);
    CHECK(brine::load<std::string>(file) == "old");
    for (const auto& entry : std::filesystem::directory_iterator(brine::test::scratch_root()))
        CHECK(entry.path().filename().string().find("keep.brine.tmp") == std::string::npos);
}

TEST_CASE("mmap of a compressed file is refused with a way out") {
    const auto file = brine::test::scratch_root() / "mm.brine.gz";
    brine::dump(std::vector<double>(10, 1.0), file);
    CHECK_THROWS_WITH_AS(brine::load<std::vector<double>>(file, {.mmap = brine::mmap_mode::read_only}),
                         doctest::Contains("brine convert"), brine::unsupported_error);
    CHECK(brine::load<std::vector<double>>(file, {.mmap = brine::mmap_mode::read_only_or_load}).size() == 10);
}
