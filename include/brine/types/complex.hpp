// std::complex<float> and std::complex<double> are brine elements (complex64,
// complex128), so their support is the one for all numbers.
#pragma once

#include <brine/types/arithmetic.hpp>
