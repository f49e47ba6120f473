// The pickle virtual machine, restricted to data: it executes the opcodes of
// protocols 2 to 5 that build builtin values, and resolves globals only
// through the allowlist (interop/allowed_globals.hpp). Its memory is bounded
// by its input: every opcode consumes at least one byte and pushes at most
// one object, lengths are checked by input_cursor before any allocation, and
// memo indices are looked up, never used to size anything.
#pragma once

#include "interop/input_cursor.hpp"
#include "interop/python_object.hpp"

#include <functional>

namespace brine::interop {

// Called after each BUILD with the object just built, while the cursor
// stands right after the BUILD opcode. joblib reads an array's raw bytes
// there (interop/joblib_reader.cpp).
using after_build_hook = std::function<void(py_object& built, input_cursor& in)>;

// Runs one pickle, from its first opcode to STOP, and returns the result.
// The cursor is left right after STOP.
py_object& run_pickle(input_cursor& in, py_arena& arena, const after_build_hook& after_build = {});

}  // namespace brine::interop
