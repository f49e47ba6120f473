// The elements of bytes and str arrays (numpy 'S<n>' and 'U<n>') as text.
// numpy's rules: an element is `width` characters padded with NULs, and its
// value ends at the first trailing NUL ("ab\0\0" is "ab"). str characters
// are UCS-4 code points in the array's byte order; brine hands them out as
// UTF-8, lone surrogates encoded as Python's 'surrogatepass' does.
#pragma once

#include <brine/model/array_meta.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine {

// The value of one element (m.itemsize() bytes at `element`): raw bytes for
// bytes, UTF-8 for str, trailing NULs dropped. nullopt when a str element
// holds a code point above U+10FFFF (no text can hold it).
std::optional<std::string> string_element_value(const array_meta& m, std::span<const std::byte> element);

// Characters `text` needs as an element of dtype t: its bytes for bytes, its
// code points for str. nullopt when str text is not UTF-8.
std::optional<std::uint64_t> string_element_width(dtype t, std::string_view text) noexcept;

// Writes `text` as one element of m (in m's byte order), NUL-padded. The
// caller checked that it fits (string_element_width(...) <= m.width).
void put_string_element(const array_meta& m, std::span<std::byte> element, std::string_view text) noexcept;

// The metadata of a contiguous bytes or str array of `texts` (str: UTF-8),
// as numpy sizes one: as wide as the longest element, at least 1. Throws
// brine::type_error for str text that is not UTF-8, brine::limit_error for
// an element above max_string_itemsize.
array_meta string_array_meta(dtype t, std::span<const std::string> texts, std::vector<std::uint64_t> shape,
                             memory_order order = memory_order::c);

}  // namespace brine
