// What the metadata record of an array says: dtype, byte order, shape and
// strides. numpy conventions: strides are in bytes, shape in elements.
#pragma once

#include <brine/dtype.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace brine {

enum class memory_order : std::uint8_t { c, fortran };

struct array_meta {
    brine::dtype dtype = dtype::float64;
    byte_order order = native_byte_order;
    std::vector<std::uint64_t> shape;
    std::vector<std::int64_t> strides;  // bytes; always C- or F-contiguous in v1 files

    std::uint64_t size() const noexcept;    // number of elements (1 for 0-d)
    std::uint64_t nbytes() const noexcept;  // size() * itemsize(dtype)
    // Which contiguous layout the strides describe. Arrays with at most one
    // dimension longer than 1 are both; c is reported then.
    memory_order layout() const noexcept;
    bool is_f_contiguous() const noexcept;
    bool is_c_contiguous() const noexcept;
    // "float64 array of shape (10, 3)"
    std::string describe() const;

    // Contiguous strides for a shape, in bytes.
    static std::vector<std::int64_t> contiguous_strides(const std::vector<std::uint64_t>& shape,
                                                         std::size_t itemsize, memory_order o);
    static array_meta contiguous(brine::dtype t, std::vector<std::uint64_t> shape,
                                 memory_order o = memory_order::c);
    friend bool operator==(const array_meta&, const array_meta&) = default;
};

// Largest rank the reader accepts (numpy 2's NPY_MAXDIMS).
inline constexpr std::size_t max_rank = 64;

}  // namespace brine
