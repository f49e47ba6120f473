// Opening any file the library reads: which format it is, the whole tree as
// a brine::value, and a subtree picked by a PATH such as `layers/3/w`.
#pragma once

#include "progress.hpp"

#include <brine/brine.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brine::cli {

// "brine v1.0", "joblib", "npy", "npz" (brine::identify tells which).
std::string format_text(const file_identity& id);
// The codec's name; "zip" for npz, whose members are each stored or deflated.
std::string codec_text(const file_identity& id);

// How to load a whole file.
struct whole_load {
    // Map uncompressed files instead of reading them (convert, ls, cat);
    // verify reads every byte instead so that every check runs.
    bool map_if_possible = true;
    unsigned threads = 0;
    progress* reporter = nullptr;  // counts the file's bytes as they are read
    load_options keys{};           // identities / passphrase of an encrypted file
};
struct loaded_file {
    brine::value value;
    // The decoded stream's size for brine and joblib files; for npz the
    // members' data (arrays and bytes), for npy the file.
    std::uint64_t uncompressed_size = 0;
};
loaded_file load_whole(const std::filesystem::path& file, const file_identity& id, const whole_load& how = {});

// The bytes a value's data occupies: array nbytes, string and bytes lengths,
// scalar item sizes, summed over containers (keys included).
std::uint64_t data_bytes(const brine::value& v);

// Library calls on streams this tool opened report "<stream>" in their
// errors: run `work` so that they name `file` instead.
template <class Work>
decltype(auto) naming_file(const std::string& file, Work&& work) {
    try {
        return work();
    } catch (const error& e) {
        if (e.file() != "<stream>") throw;
        throw error({file, e.offset()}, e.detail());
    }
}

// PATH syntax: steps separated by '/', a key for dicts and a position for
// lists and maps (negative counts from the end). "", "/" and "root" mean the
// whole tree.
std::vector<std::string> split_tree_path(std::string_view path);

// The subtree at `steps`; `where` receives its path as the library writes
// it (root["layers"][3]). Throws brine::error naming what is missing.
const brine::value& select(const brine::value& root, const std::vector<std::string>& steps, const std::string& file,
                           std::string& where);
struct selected_entry {
    brine::entry entry;
    // Its table-of-contents record; small leaves (scalars, short strings) have none.
    std::optional<std::uint32_t> toc_index;
};
selected_entry select(const brine::archive& archive, const std::vector<std::string>& steps, const std::string& file);

}  // namespace brine::cli
