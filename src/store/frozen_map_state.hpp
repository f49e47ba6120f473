// What an open frozen map holds: the mapping and its checked trailer.
// Shared by the lookups (frozen_map.cpp) and verify (frozen_map_verify.cpp).
#pragma once

#include "store/frozen_map_format.hpp"

#include <brine/error.hpp>
#include <brine/io/file.hpp>
#include <brine/options.hpp>
#include <brine/store/frozen_map.hpp>

#include <string>

namespace brine::detail {

struct frozen_map_state {
    io::mapped_file file;
    std::string name;
    load_options options;
    store::layout::trailer trailer;
    const std::byte* base = nullptr;        // the file
    const std::byte* data_end = nullptr;    // end of the entries
    const std::byte* slots = nullptr;
    const std::byte* superseded = nullptr;

    frozen_map_state(const std::filesystem::path& p, const load_options& o);

    [[noreturn]] void corrupt(std::uint64_t offset, const std::string& expected) const {
        throw corrupt_error({name, offset}, "expected " + expected);
    }
    std::uint64_t offset_of(const std::byte* p) const noexcept { return static_cast<std::uint64_t>(p - base); }

    // The parts of the entry at `offset`, bounds-checked (throws corrupt_error).
    struct entry_parts {
        store::layout::parsed_key key;
        std::uint8_t flags;
        std::uint64_t value_offset;   // raw: the value record; compressed: the value's tag byte
    };
    entry_parts entry_at(std::uint64_t offset) const;
    // The offset just past the entry at `offset` (parses a raw value).
    std::uint64_t entry_end(std::uint64_t offset) const;
    // madvise on the whole mapping (page-aligned: it starts the mapping).
    void advise(int advice) const noexcept;
    std::uint64_t superseded_at(std::uint64_t i) const noexcept { return store::layout::load_u64(superseded + 8 * i); }
};

}  // namespace brine::detail
