// The header of an array record: the fields between its tag and its padding
// (docs/format.md, "Array record"):
//
//   u8 dtype, [time unit field | varint width], u8 byte order, varint ndim,
//   ndim varints shape, ndim zvarints strides, varint nbytes
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

namespace brine::format {

// The longest header: every varint at its longest, at the largest rank.
inline constexpr std::size_t max_array_header = 1 + max_unit_field + 1 + 10 * (1 + 2 * max_rank + 1);
static_assert(max_unit_field >= 5, "the width field (a varint below 2^31) fits where a unit field would");

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

// The header's dtype and shape, for messages: as much as the bytes say
// ("float64 array of shape (10,)", "float64 array", or "array").
std::string describe_array_header(std::span<const std::byte> bytes);

}  // namespace brine::format
