// Errors raised by the value layer itself, outside any input file: the
// location names the layer so messages do not blame an input.
#pragma once

#include <brine/error.hpp>

#include <string>

namespace brine::detail {

inline location value_location() { return location{"<value>", std::nullopt}; }

template <class Error = brine::error>
[[noreturn]] void fail(const std::string& what) {
    throw Error(value_location(), what);
}

}  // namespace brine::detail
