#include "spill_store.hpp"

#include <brine/brine.hpp>

#include <algorithm>
#include <iostream>

namespace brine::cli {

namespace {

// Read-only: no lock, so it works alongside the process writing the store.
spill_map<std::string, value> open_store(const std::filesystem::path& dir, const load_options& keys) {
    spill_options o{.memory_limit = 64ull << 20, .directory = dir, .persist = true, .read_only = true};
    if (!keys.identities.empty() || !keys.passphrase.empty())
        o.encryption = spill_encryption{.identities = keys.identities, .passphrase = keys.passphrase};
    return spill_map<std::string, value>(o);
}

}  // namespace

bool is_store_directory(const std::filesystem::path& path) { return std::filesystem::is_directory(path); }

int list_spill_store(const std::filesystem::path& dir, const load_options& keys) {
    auto store = open_store(dir, keys);
    auto entries = store.entries();
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    const auto s = store.stats();
    std::cout << dir.string() << ": spill store, " << entries.size() << " entries, " << s.disk_bytes << " bytes of segments ("
              << s.disk_live_bytes << " live)\n";
    for (const auto& e : entries) {
        std::cout << e.key << ": ";
        if (!e.attached.empty()) std::cout << "attached " << e.attached.string() << '\n';
        else
            std::cout << e.weight << " bytes" << (e.codec != codec_id::none ? ", " + std::string(info(e.codec).name) + " " + std::to_string(e.stored_bytes) + " bytes" : std::string())
                      << '\n';
    }
    return 0;
}

brine::value spill_store_value(const std::filesystem::path& dir, const std::string& key, const load_options& keys) {
    auto store = open_store(dir, keys);
    auto v = store.get(key);
    if (!v) throw error({dir.string(), std::nullopt}, "no key \"" + key + "\" in this spill store");
    return *v;
}

}  // namespace brine::cli
