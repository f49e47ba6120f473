// `brine ls DIR` and `brine cat DIR KEY` on a spill store directory
// (brine::spill_map with persist = true, or one in use by another process).
#pragma once

#include <filesystem>
#include <string>

namespace brine { class value; }

namespace brine::cli {

// True when `path` is a directory (a spill store, or an error to report as one).
bool is_store_directory(const std::filesystem::path& path);
// Prints one line per entry, sorted by key.
int list_spill_store(const std::filesystem::path& dir);
// The value stored under `key`; throws brine::error when absent.
brine::value spill_store_value(const std::filesystem::path& dir, const std::string& key);

}  // namespace brine::cli
