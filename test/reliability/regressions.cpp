// Replays every input the fuzzers ever flagged (fuzz/regressions/<target>/)
// through the same entry point that found it. Entry points swallow
// brine::error, so anything escaping, a crash or a sanitizer report is the
// old bug come back.
#include "entry_points.hpp"
#include "reliability.hpp"

#include <doctest/doctest.h>

#include <filesystem>

TEST_CASE("fuzz regressions replay cleanly") {
    const std::filesystem::path root = BRINE_REGRESSIONS_DIR;
    int replayed = 0;
    if (std::filesystem::is_directory(root)) {
        for (const auto& target_dir : std::filesystem::directory_iterator(root)) {
            if (!target_dir.is_directory()) continue;  // README.md
            const auto target = target_dir.path().filename().string();
            CAPTURE(target);
            const auto* entry = brine::fuzz::find_entry_point(target);
            REQUIRE_MESSAGE(entry != nullptr, "fuzz/regressions/" << target << " names no fuzz target");
            for (const auto& file : std::filesystem::directory_iterator(target_dir.path())) {
                CAPTURE(file.path().filename().string());
                const auto bytes = brine::test::read_file(file.path());
                CHECK_NOTHROW(entry->run(bytes));
                ++replayed;
            }
        }
    }
    MESSAGE("replayed " << replayed << " fuzz regression inputs");
}

TEST_CASE("every fuzz entry point accepts empty and junk input") {
    const std::vector<std::byte> junk(300, std::byte{0x5a});
    for (const auto& e : brine::fuzz::entry_points()) {
        CAPTURE(e.name);
        CHECK_NOTHROW(e.run({}));
        CHECK_NOTHROW(e.run(junk));
    }
}
