// The elements of a bytes or str array record (numpy 'S<n>' / 'U<n>') as
// std::string, for the types that load them: sequences of strings
// (types/sequence.hpp) and xtensor containers of std::string
// (types/xtensor.hpp). Each element's value ends at its trailing NULs, as
// in numpy (model/string_element.hpp).
#pragma once

#include <brine/error.hpp>
#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/model/string_element.hpp>
#include <brine/types/elements.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace brine::detail {

// Reads the current array's elements (after reader::begin_array; a string
// dtype) and hands each to `consume(std::string&&)`, in stored order. Whole
// elements go through one buffer of about chunk_bytes; an element larger
// than that is read alone, its buffer growing only as its bytes arrive, so
// a false width in the file allocates nothing.
template <class Consume>
void read_string_elements(format::reader& r, const array_meta& m, Consume&& consume) {
    const std::uint64_t item = m.itemsize();
    const std::uint64_t count = m.size();
    const std::uint64_t per_group = std::max<std::uint64_t>(1, chunk_bytes / item);
    std::vector<std::byte> buffer;
    for (std::uint64_t done = 0; done < count;) {
        const std::uint64_t group = std::min(per_group, count - done);
        const std::uint64_t want = group * item;
        buffer.clear();
        while (buffer.size() < want) {
            const auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, want - buffer.size()));
            const auto at = buffer.size();
            buffer.resize(at + piece);
            r.read_array_data({buffer.data() + at, piece});
        }
        for (std::uint64_t i = 0; i < group; ++i) {
            auto text = string_element_value(m, {buffer.data() + i * item, static_cast<std::size_t>(item)});
            if (!text)
                throw type_error(r.where(), "element " + std::to_string(done + i) + " of a " + m.describe() +
                                                " holds a code point above U+10FFFF");
            consume(std::move(*text));
        }
        done += group;
    }
}

// Writes strings as the payload of a str array (begin_array done with
// `m`, whose width fits each of them), one element at a time through a
// bounded buffer.
template <class Iterator>
void write_string_elements(format::writer& w, const array_meta& m, Iterator first, std::uint64_t count) {
    const std::uint64_t item = m.itemsize();
    const std::uint64_t per_group = std::max<std::uint64_t>(1, chunk_bytes / item);
    std::vector<std::byte> buffer(static_cast<std::size_t>(std::min(per_group, std::max<std::uint64_t>(count, 1)) * item));
    for (std::uint64_t done = 0; done < count;) {
        const std::uint64_t group = std::min(per_group, count - done);
        for (std::uint64_t i = 0; i < group; ++i, ++first)
            put_string_element(m, {buffer.data() + i * item, static_cast<std::size_t>(item)}, *first);
        w.write_array_data({buffer.data(), static_cast<std::size_t>(group * item)});
        done += group;
    }
}

}  // namespace brine::detail
