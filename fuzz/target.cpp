// One libFuzzer target; fuzz/meson.build compiles this file once per entry
// point, naming it with -DBRINE_FUZZ_TARGET="name".
#include "entry_points.hpp"

#include "fuzzing.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifndef BRINE_FUZZ_TARGET
#error "compile with -DBRINE_FUZZ_TARGET=\"<entry point name>\""
#endif

namespace {

const brine::fuzz::entry_point& target() {
    static const auto* found = [] {
        const auto* e = brine::fuzz::find_entry_point(BRINE_FUZZ_TARGET);
        if (!e) {
            std::fprintf(stderr, "no fuzz entry point named %s\n", BRINE_FUZZ_TARGET);
            std::abort();
        }
        return e;
    }();
    return *found;
}

}  // namespace

// Checksums off for the whole run: mutations reach the parsers behind them.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    brine::enforce_checksums(false);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    target().run({reinterpret_cast<const std::byte*>(data), size});
    return 0;
}
