// The typed target of the fuzzers and of make_corpus: a user struct touching
// strings, vectors, maps (string and non-string keys), optional, variant and
// xtensor containers, so typed loading meets every serializer family.
#pragma once

#include <brine/brine.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace brine::fuzz {

struct fuzz_model {
    std::string name;
    std::vector<double> losses;
    std::map<std::string, std::vector<std::int32_t>> groups;
    std::map<int, std::string> labels;
    xt::xtensor<float, 2> weights;
    xt::xarray<double, xt::layout_type::column_major> grid;
    std::optional<std::string> note;
    std::variant<std::int64_t, std::string> tag;
    std::vector<std::vector<std::uint8_t>> blobs;
    friend bool operator==(const fuzz_model&, const fuzz_model&) = default;
};
BRINE_FIELDS(fuzz_model, name, losses, groups, labels, weights, grid, note, tag, blobs)

}  // namespace brine::fuzz
