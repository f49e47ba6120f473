// The .npy header: magic "\x93NUMPY", a version (1.0, 2.0, 3.0), a length,
// and a Python dict literal {'descr': '<f8', 'fortran_order': False,
// 'shape': (3, 4), } padded with spaces and a newline. Parsed with a small
// literal parser (never evaluated), and written the way numpy writes it.
#pragma once

#include "interop/input_cursor.hpp"

#include <brine/model/array_meta.hpp>

#include <cstdint>
#include <string>

namespace brine::interop {

inline constexpr std::size_t npy_magic_size = 6;
bool starts_with_npy_magic(std::span<const std::byte> bytes) noexcept;

// Reads the header from `in`, leaving it at the first data byte. Object
// arrays and structured dtypes throw brine::unsupported_error.
array_meta read_npy_header(input_cursor& in);

// The whole header (magic to newline) for `meta`: version 1.0 when it fits,
// else 2.0; padded so the data starts at a multiple of 64 bytes.
std::string npy_header(const array_meta& meta);

}  // namespace brine::interop
