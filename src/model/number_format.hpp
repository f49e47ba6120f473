// Text for one number, shared by scalar::to_string and the value printer so
// that a number reads the same wherever it appears.
#pragma once

#include <brine/model/scalar.hpp>

#include <string>

namespace brine::detail {

struct number_style {
    // Python repr marks a float with an integral value as float: "1.0". Array
    // elements skip it, since the dtype is printed once for the whole array.
    bool mark_integral_floats = true;
    // "True"/"False" (Python) rather than "true"/"false".
    bool python_bools = false;
};

// Appends `s` as text: shortest digits that read back to the same value in
// the scalar's own precision (float16/float32/float64).
void append_number(std::string& out, const scalar& s, number_style style);

// NaN equals NaN, and -0.0 differs from 0.0: "the same number" in the sense
// that a loaded value is indistinguishable from the dumped one.
bool same_number(double a, double b) noexcept;

}  // namespace brine::detail
