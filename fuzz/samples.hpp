// Small sample trees and their files, shared by the fuzz seed corpus
// (make_corpus.cpp) and the reliability tests, so the corpus and the tests
// cover the same shapes of data.
#pragma once

#include "fuzz_model.hpp"

#include <brine/brine.hpp>

#include <cstddef>
#include <sstream>
#include <vector>

namespace brine::fuzz {

// Every record kind: none, bool/int/float/complex scalars, strings (one long
// enough for a table-of-contents entry), bytes, lists, dicts, a map with
// integer keys, C- and F-order arrays, a 0-d and a zero-size array, a
// datetime64 scalar and a timedelta64 array with NaT (their unit fields).
value sample_tree();
// Python objects as object nodes, shaped like the joblib files in the wild:
// a scikit-learn estimator (NEWOBJ + BUILD state with arrays, a tuple, a
// nested estimator list), a pandas-like frame (REDUCE args holding numpy's
// object-array form and a dtype object), a class reference, INST and OBJ,
// list and dict items.
value sample_objects();
// The typed target with every field set.
fuzz_model sample_model();

// `tree` as a complete brine file in `codec` (small blocks give compressed
// files several blocks and a block index, as large files have).
template <serializable T>
std::vector<std::byte> brine_file(const T& tree, codec_id codec, std::uint64_t block_size = 0) {
    std::ostringstream out(std::ios::binary);
    brine::dump(tree, out, {.codec = codec, .level = std::nullopt, .threads = 1, .block_size = block_size});
    const auto s = std::move(out).str();
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

}  // namespace brine::fuzz
