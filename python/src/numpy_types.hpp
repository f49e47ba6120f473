// brine dtypes <-> numpy dtypes, and numpy's classes looked up once.
#pragma once

#include <brine/model/array_meta.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>

namespace brine::python {

// numpy's dtype for a brine element type: "<f8", "|b1", ">c16", "<M8[ns]"
// (with the unit of a datetime64 or timedelta64), "<U5" (with the width of
// a str or bytes array), "V6", or a structured dtype of the record's fields.
pybind11::dtype numpy_dtype(const element_type& t);
pybind11::dtype numpy_dtype(const array_meta& meta);

// brine's element type for a numpy dtype; nullopt for the kinds brine has
// no code for (objects, long double, records with such fields...).
std::optional<element_type> brine_dtype(const pybind11::dtype& t);

// numpy.generic (the base of numpy scalars) and numpy.ndarray, imported once.
const pybind11::object& numpy_generic();

}  // namespace brine::python
