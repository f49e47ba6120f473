// Python's datetime.datetime, date, time and timedelta, as their pickles
// build them (REDUCE of the class with a packed byte string, or for
// timedelta with (days, seconds, microseconds)), read as numpy time
// scalars: naive datetimes and dates become datetime64[us] / [D], times of
// day and timedeltas timedelta64[us]. A datetime or time with a tzinfo
// stays an object node (brine has no time zones), and so does any of them
// inside another object node (python_to_value), so that Python gets its
// own object back there. Written back, the scalars are numpy.datetime64 /
// numpy.timedelta64.
#pragma once

#include "interop/input_cursor.hpp"
#include "interop/python_object.hpp"

namespace brine::interop {

// REDUCE of one of the datetime globals: an object node; a naive value's
// has `global` set to its class and `number` to its time scalar.
py_object& call_datetime(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at);

}  // namespace brine::interop
