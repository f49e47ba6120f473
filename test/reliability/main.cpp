// The reliability suite's main: doctest, except when the kill test starts
// this program as its child (`--dump-child ...`, see kill_during_dump.cpp).
// Re-executing ourselves keeps the child a fresh single-threaded process,
// which a fork of the doctest process (with sanitizers) would not be.
#define DOCTEST_CONFIG_IMPLEMENT
#include "reliability.hpp"

#include <doctest/doctest.h>

#include <cstring>

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], brine::test::dump_child_flag) == 0) return brine::test::run_dump_child(argc - 2, argv + 2);
    const int failures = doctest::Context(argc, argv).run();
    brine::test::remove_scratch_root();
    return failures;
}
