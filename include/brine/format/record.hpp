// The records of format v1: one tag byte, the node kind it stands for
// (model/node_kind.hpp holds the values), then the kind's body (docs/format.md).
#pragma once

#include <brine/model/node_kind.hpp>

#include <cstdint>
#include <optional>

namespace brine {

// The node kind a tag byte stands for; nullopt when the byte is no tag.
constexpr std::optional<node_kind> node_kind_from_tag(std::uint8_t tag) noexcept {
    const auto k = static_cast<node_kind>(tag);
    if (!is_valid(k)) return std::nullopt;
    return k;
}

constexpr std::uint8_t tag_of(node_kind k) noexcept { return static_cast<std::uint8_t>(k); }

}  // namespace brine
