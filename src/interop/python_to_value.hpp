// Turns the object graph a pickle built into a brine::value tree. Shared
// objects (the memo) become repeated values, so the expansion is bounded: by
// load_options::max_depth for nesting (which also stops reference cycles)
// and by a budget proportional to the input for the total size.
#pragma once

#include "interop/python_object.hpp"

#include <brine/error.hpp>
#include <brine/options.hpp>
#include <brine/value/value.hpp>

namespace brine::interop {

// `input_bytes`: how much input the pickle took; the output may be a fixed
// allowance plus a multiple of it. `where` names the file for errors.
value python_to_value(const py_object& root, const load_options& options, std::uint64_t input_bytes, const location& where);

}  // namespace brine::interop
