// Writes a brine file with what only C++ can put there, for the CLI tests:
// a string that is not valid UTF-8, a map with integer keys, a 0-d and an
// empty array, float32 and non-finite values, extreme integers, and large
// containers. Usage: make_native OUT.brine
#include <brine/brine.hpp>

#include <cstdint>
#include <limits>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    brine::dict d;
    d.insert("text", std::string("caf\xc3\xa9 \"q\" \\ \n\x01 \xff end"));
    d.insert("f32", 0.1f);
    d.insert("inf", std::numeric_limits<double>::infinity());
    d.insert("ninf", -std::numeric_limits<double>::infinity());
    d.insert("nan", std::numeric_limits<double>::quiet_NaN());
    d.insert("imin", std::numeric_limits<std::int64_t>::min());
    d.insert("umax", std::numeric_limits<std::uint64_t>::max());
    d.insert("bytes", brine::bytes{std::byte{0xff}, std::byte{0x00}, std::byte{'z'}});
    d.insert("map", brine::map{{1, "one"}, {-2, "two"}});
    const double elements[] = {1, 2, 3, 4, 5, 6};
    // Memory order 1 2 3 4 5 6 in Fortran order is [[1, 3, 5], [2, 4, 6]].
    d.insert("fortran", brine::ndarray::copy_of<double>(elements, {2, 3}, brine::memory_order::fortran));
    const std::int32_t seven[] = {7};
    d.insert("zero_d", brine::ndarray::copy_of<std::int32_t>(seven, {}));
    d.insert("empty", brine::ndarray::zeros(brine::dtype::float32, {0, 3}));
    brine::dict many;
    for (int i = 0; i < 1000; ++i) many.insert("k" + std::to_string(i), i);
    d.insert("many", std::move(many));
    brine::list names;
    for (int i = 0; i < 300; ++i) names.push_back("name " + std::to_string(i));
    d.insert("names", std::move(names));
    brine::dump(brine::value(std::move(d)), argv[1]);
    return 0;
}
