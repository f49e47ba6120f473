// The untyped engine behind brine::spill_map: keys are strings, values are
// shared_ptr<const void> with a weight, and the typed layer hands it the
// functions that save, load and weigh them. Everything that is not about the
// value's C++ type (budget, eviction, background writer, segments,
// persistence) is compiled once, in src/store/.
#pragma once

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/store/spill_options.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace brine {

// Bytes the value occupies as one brine record (its root record, without a
// file's header and footer): exact for arrays (nbytes plus a few bytes of
// metadata), strings and containers. The default weight of a spilled value.
std::uint64_t serialized_weight(const std::function<void(format::writer&)>& save);

namespace store {

using value_ptr = std::shared_ptr<const void>;

struct value_functions {
    std::function<void(format::writer&, const void*)> save;
    std::function<value_ptr(format::reader&)> load;
    // The weight of a loaded value (attached files; every unspill when
    // custom_weight). Otherwise an unspilled value weighs its record's size.
    std::function<std::uint64_t(const void*)> weigh;
    bool custom_weight = false;
};

class spill_store {
public:
    spill_store(const spill_options& options, value_functions functions);
    ~spill_store();
    spill_store(const spill_store&) = delete;
    spill_store& operator=(const spill_store&) = delete;

    // Inserts or replaces (only_if_absent: inserts only). Returns true when
    // the key was new. Throws capacity_error when the value cannot be held
    // (larger than both limits, or no room left on disk for what must leave
    // memory); the map is then as it was.
    bool put(std::string_view key, value_ptr value, std::uint64_t weight, bool only_if_absent);
    value_ptr get(std::string_view key);
    bool contains(std::string_view key) const;
    bool erase(std::string_view key);
    std::size_t size() const;
    std::vector<std::string> keys() const;
    std::vector<spill_entry_info> entries() const;
    void attach(std::string_view key, const std::filesystem::path& file);
    void flush();
    spill_stats stats() const;
    const std::filesystem::path& directory() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace store
}  // namespace brine
