// _brine.FrozenMap, _brine.FrozenMapBuilder and their iterator: the C++
// halves of brine.frozen_map (a collections.abc.Mapping) and
// brine.frozen_map_builder (a context manager), which __init__.py defines.
#pragma once

#include <pybind11/pybind11.h>

namespace brine::python {

void register_frozen_map(pybind11::module_& m);

}  // namespace brine::python
