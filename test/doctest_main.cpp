// doctest's runner, compiled once and linked into every suite that has no
// main of its own (its implementation takes longer to compile than most
// test files).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
