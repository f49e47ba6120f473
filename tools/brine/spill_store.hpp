// `brine ls DIR` and `brine cat DIR KEY` on a spill store directory
// (brine::spill_map with persist = true, or one in use by another process).
#pragma once

#include <brine/options.hpp>

#include <filesystem>
#include <string>

namespace brine { class value; }

namespace brine::cli {

// True when `path` is a directory (a spill store, or an error to report as one).
bool is_store_directory(const std::filesystem::path& path);
// Prints one line per entry, sorted by key. `keys`: the identities or
// passphrase of an encrypted store (-i, --passphrase-file).
int list_spill_store(const std::filesystem::path& dir, const load_options& keys);
// The value stored under `key`; throws brine::error when absent.
brine::value spill_store_value(const std::filesystem::path& dir, const std::string& key, const load_options& keys);

}  // namespace brine::cli
