// brine dtypes <-> numpy dtypes, and numpy's classes looked up once.
#pragma once

#include <brine/model/array_meta.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>

namespace brine::python {

// numpy's dtype for a brine dtype and byte order: "<f8", "|b1", ">c16",
// "<M8[ns]" (with the unit of a datetime64 or timedelta64), "<U5" (with the
// width of a str or bytes array).
pybind11::dtype numpy_dtype(const array_meta& meta);

struct numpy_dtype_info {
    brine::dtype type;
    byte_order order;
    datetime_unit unit{};
    std::uint32_t width = 1;
};
// brine's dtype for a numpy dtype; nullopt for the kinds brine has no code
// for (strings, objects, records...).
std::optional<numpy_dtype_info> brine_dtype(const pybind11::dtype& t);

// numpy.generic (the base of numpy scalars) and numpy.ndarray, imported once.
const pybind11::object& numpy_generic();

}  // namespace brine::python
