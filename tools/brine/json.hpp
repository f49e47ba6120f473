// Strict JSON (RFC 8259) for a brine::value, for `brine cat --json`.
// Choices, also in README "Command line":
//   none -> null; bool -> true/false; integers exact (int64 and uint64);
//   floats in the shortest text that reads back to the same value of their
//   own dtype (float32 0.1 -> 0.1), NaN and infinities as the strings "nan",
//   "inf", "-inf"; complex -> [re, im];
//   strings -> strings, each byte of invalid UTF-8 replaced by \ufffd;
//   bytes -> a base64 string (RFC 4648, padded);
//   list -> array; dict -> object, in order; map (non-string keys) -> an
//   array of [key, value] pairs, so no key is lost or merged;
//   n-d array -> nested arrays following the shape in logical (row-major)
//   order whatever the memory order; a 0-d array -> its element.
#pragma once

#include <brine/value/value.hpp>

#include <ostream>

namespace brine::cli {

void write_json(std::ostream& out, const brine::value& v);

}  // namespace brine::cli
