// Fuzz entry point for spill store segment files (docs/format.md, "Spill
// store"): the bytes become the one segment of a store directory, which is
// opened read-only and every entry read back as a brine::value.
#include "entry_points.hpp"

#include <brine/brine.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace brine::fuzz {

void spill_segment(input bytes) {
    // One directory per process, rewritten for every input.
    static const auto dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("brine-fuzz-spill-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        std::ofstream(d / "STORE") << "brine spill store 1\npersist 1\n";
        return d;
    }();
    {
        std::ofstream seg(dir / "seg-00000001.bss", std::ios::binary | std::ios::trunc);
        seg.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    try {
        spill_map<std::string, value> m(spill_options{.memory_limit = 1 << 20, .directory = dir, .persist = true, .read_only = true});
        for (const auto& k : m.keys()) {
            try {
                (void)m.get(k);
            } catch (const brine::error&) {
            }
        }
        (void)m.stats();
    } catch (const brine::error&) {
    }
}

}  // namespace brine::fuzz
