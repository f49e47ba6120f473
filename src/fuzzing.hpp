// The one switch of fuzzing builds (meson -Dfuzz=true defines BRINE_FUZZING):
// with checksums not enforced, the fuzzer's mutations reach the parsers
// behind them instead of stopping at a mismatch. In a fuzzing build the
// switch is set at run time, so that the same instrumented library also
// runs the test suite (checksums on, the default) in CI's sanitizer stage;
// the fuzz targets turn it off before their first input. Other builds
// have no switch: checksums are always enforced.
#pragma once

namespace brine {

#ifdef BRINE_FUZZING
bool checksums_enforced() noexcept;
void enforce_checksums(bool on) noexcept;
#else
constexpr bool checksums_enforced() noexcept { return true; }
#endif

}  // namespace brine
