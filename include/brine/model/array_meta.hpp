// What the metadata record of an array says: dtype, byte order, shape and
// strides. numpy conventions: strides are in bytes, shape in elements, an
// element of a string dtype is `width` characters, and one of a record dtype
// is `width` bytes laid out by `fields`.
#pragma once

#include <brine/model/dtype.hpp>
#include <brine/model/record_layout.hpp>
#include <brine/model/time_unit.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brine {

enum class memory_order : std::uint8_t { c, fortran };

struct array_meta {
    brine::dtype dtype = dtype::float64;
    byte_order order = native_byte_order;
    std::vector<std::uint64_t> shape;
    std::vector<std::int64_t> strides;  // bytes; always C- or F-contiguous in v1 files
    datetime_unit unit{};               // datetime64 and timedelta64 only; generic for every other dtype
    std::uint32_t width = 1;            // bytes and str: characters per element (numpy's 'U5'); record: bytes; else 1
    std::vector<record_field> fields;   // record only: its layout (model/record_layout.hpp)

    // Bytes per element: brine::itemsize(dtype) times the width.
    std::uint64_t itemsize() const noexcept;
    std::uint64_t size() const noexcept;    // number of elements (1 for 0-d)
    std::uint64_t nbytes() const noexcept;  // size() * itemsize()
    // size() and nbytes() saturate at UINT64_MAX when the product overflows,
    // so a comparison with the bytes an input holds still rejects them. Code
    // that must tell the two apart (the reader) uses these: nullopt on overflow.
    std::optional<std::uint64_t> checked_size() const noexcept;
    std::optional<std::uint64_t> checked_nbytes() const noexcept;
    // Which contiguous layout the strides describe. Arrays with at most one
    // dimension longer than 1 are both; c is reported then. Strides that are
    // neither (never in a valid v1 file) also report c: check is_*_contiguous.
    // numpy's rules: a dimension of length 1 constrains no stride, and an
    // array with no elements is contiguous whatever its strides.
    memory_order layout() const noexcept;
    bool is_f_contiguous() const noexcept;
    bool is_c_contiguous() const noexcept;
    // "float64 array of shape (10, 3)", "datetime64[ns] array of shape (4,)"
    std::string describe() const;
    // "float64", "datetime64[ns]", "str[5]", "bytes[3]", "{x: int32 @0} (4 bytes)"
    std::string dtype_text() const;
    // The element type without shape and strides (what a record field has).
    element_type element() const;

    // Contiguous strides for a shape, in bytes. Like numpy, a zero-length
    // dimension counts as 1 when computing the strides of the others.
    static std::vector<std::int64_t> contiguous_strides(const std::vector<std::uint64_t>& shape,
                                                         std::size_t itemsize, memory_order o);
    static array_meta contiguous(brine::dtype t, std::vector<std::uint64_t> shape,
                                 memory_order o = memory_order::c);
    // A contiguous array of strings of `width` characters (bytes or str).
    static array_meta contiguous_strings(brine::dtype t, std::uint32_t width, std::vector<std::uint64_t> shape,
                                         memory_order o = memory_order::c);
    // A contiguous array whose elements are `type` (any dtype, records too).
    static array_meta contiguous_of(element_type type, std::vector<std::uint64_t> shape,
                                    memory_order o = memory_order::c);
    friend bool operator==(const array_meta&, const array_meta&) = default;
};

// A shape as Python writes a tuple: "(2, 3)", "(10,)", "()".
std::string shape_text(const std::vector<std::uint64_t>& shape);

// Largest rank the reader accepts (numpy 2's NPY_MAXDIMS).
inline constexpr std::size_t max_rank = 64;
// Largest itemsize of a string element: numpy's (a C int).
inline constexpr std::uint64_t max_string_itemsize = 0x7FFFFFFF;

}  // namespace brine
