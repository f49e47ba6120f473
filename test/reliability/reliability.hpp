// Helpers shared by the reliability tests.
#pragma once

#include "../common/files.hpp"

#include <brine/brine.hpp>

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace brine::test {

// Files and scratch directories: ../common/files.hpp (main() removes the
// scratch root at exit).

// The whole input as a brine::value through the stream path (codec detected
// by magic, a reader that cannot know the input's size).
brine::value load_streamed(std::span<const std::byte> bytes, const brine::load_options& options = {});
// An uncompressed input as a mapping (sizes known, arrays borrowed).
brine::value load_mapped(std::span<const std::byte> bytes, const brine::load_options& options = {});

// The kill test's child: `--dump-child TARGET GENERATION`.
inline constexpr const char* dump_child_flag = "--dump-child";
int run_dump_child(int argc, char** argv);

}  // namespace brine::test
