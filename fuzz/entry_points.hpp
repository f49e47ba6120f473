// The fuzz targets' entry points: each takes arbitrary bytes and feeds them
// to one reader of untrusted input. Shared by the libFuzzer targets
// (fuzz/target.cpp) and the regression replay test
// (test/reliability/regressions.cpp), so a crasher replays through exactly
// the code that found it.
//
// Contract of every entry point: it returns normally. A reader that rejects
// the input with brine::error is doing its job, so entry points swallow
// brine::error (and go on with the next way of reading the same bytes).
// Anything else (another exception, a crash, a sanitizer report, a hang,
// an allocation far beyond the input's size) is a bug in brine.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace brine::fuzz {

using input = std::span<const std::byte>;

// The keys the "age" target opens its input with (age.md's example X25519
// identity, and a passphrase); make_corpus encrypts its seeds to them, so
// mutations reach the payload and not only the header.
inline constexpr std::string_view age_identity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
inline constexpr std::string_view age_passphrase = "fuzz";

struct entry_point {
    std::string_view name;  // also the name of the fuzz target and of its corpus folders
    void (*run)(input bytes);
};

// Every target, in a fixed order (fuzz/meson.build and fuzz/run.sh use the same names).
std::span<const entry_point> entry_points() noexcept;
// nullptr for an unknown name.
const entry_point* find_entry_point(std::string_view name) noexcept;

}  // namespace brine::fuzz
