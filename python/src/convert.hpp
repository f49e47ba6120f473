// Python objects <-> brine::value, the two halves of every call of the module.
// Both run with the GIL held; everything else (I/O, codecs, hashing) runs on
// the value without it.
#pragma once

#include <brine/value/value.hpp>

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brine::python {

// Thrown inside a conversion; each container on the way back up prefixes its
// part of the path, so the happy path builds no path strings at all.
struct conversion_error {
    std::string path;
    std::string what;
};

// Python -> brine::value. numpy arrays are borrowed, not copied: the value
// holds a reference to the array (released under the GIL) for as long as it
// lives. Types brine cannot store raise brine.Error naming the type and where
// it sits in the tree ("root['a'][3]").
//
//   None, bool, int (64-bit signed or unsigned), float, complex, str, bytes
//        -> none, scalar, string, bytes records;
//   list -> list; tuple -> tuple (format 1.1); dict -> dict when every key is
//        a str, else map;
//   numpy arrays -> arrays (other strides are copied into C order);
//   numpy scalars -> 0-d arrays, so they come back as numpy scalars.
value from_python(pybind11::handle obj, std::uint32_t max_depth = 512);

// brine::value -> Python, the inverse. Arrays are numpy views of the value's
// bytes (heap or file mapping), kept alive through their `base`; buffers that
// are not writable give writeable=False arrays. A 0-d array becomes the numpy
// scalar of its dtype; map keys that are lists become tuples (hashable).
pybind11::object to_python(value&& v);

// The leaves of to_python, for callers that read a record in place without
// building a value (frozen map lookups). string_to_python throws
// conversion_error for text that is not UTF-8.
pybind11::object scalar_to_python(const scalar& s);
pybind11::object string_to_python(std::string_view utf8);
pybind11::object bytes_to_python(std::span<const std::byte> b);
pybind11::object bytearray_to_python(std::span<const std::byte> b);

}  // namespace brine::python
