// The header of an array record: the fields between its tag and its padding
// (docs/format.md, "Array record"):
//
//   element type, varint ndim, ndim varints shape, ndim zvarints strides,
//   varint nbytes
//
// where an element type is
//
//   u8 dtype, [time unit field | varint width | varint width, field list],
//   u8 byte order
//
// and a record's field list nests element types (docs/format.md).
//
// One parser for every reader of array headers: the record reader, its
// descriptions of a record it refuses, and frozen maps, which view arrays in
// place without a reader.
#pragma once

#include "format/scalar_body.hpp"

#include <brine/model/array_meta.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace brine::format {

// The longest element type field: a record's layout is at most 64 KiB.
inline constexpr std::size_t max_element_type_field = 64 * 1024;
// The longest header: the element type and every varint at its longest, at
// the largest rank. It fits the reader's window (256 KiB).
inline constexpr std::size_t max_array_header = max_element_type_field + 10 * (1 + 2 * max_rank + 1);
static_assert(max_unit_field + 2 <= max_element_type_field);

struct array_header {
    array_meta meta;
    std::uint64_t nbytes = 0;
    std::size_t length = 0;  // bytes of the header
};

// Why bytes are not an array header: `at` bytes into them, the field that
// was expected there (truncated) or what is wrong (corrupt).
struct array_header_problem {
    std::size_t at = 0;
    bool truncated = false;  // the bytes end inside the header
    std::string what;        // truncated: the field expected; else what is wrong with it
};

struct decoded_array_header {
    array_header header;
    std::optional<array_header_problem> problem;  // set when `header` is not valid
};

// Decodes a header from the front of `bytes` and checks it: a known dtype
// and unit, a byte order mark, a rank of at most max_rank, nbytes equal to
// the shape's byte count without overflow, and C- or F-contiguous strides.
// A valid header allocates its shape and strides only (messages, on failure).
decoded_array_header decode_array_header(std::span<const std::byte> bytes);

// Appends the element type field of `t` (checked by the caller: a valid
// dtype, and a record layout without record_layout_problem). Returns false,
// appending nothing, when a record's layout would pass max_element_type_field.
bool encode_element_type(const element_type& t, std::vector<std::byte>& out);

// The header's dtype and shape, for messages: as much as the bytes say
// ("float64 array of shape (10,)", "float64 array", or "array").
std::string describe_array_header(std::span<const std::byte> bytes);

}  // namespace brine::format
