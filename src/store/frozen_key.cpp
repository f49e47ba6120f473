#include <brine/store/frozen_key.hpp>

#include <brine/model/value_path.hpp>

#include <cstdio>

namespace brine {

std::string frozen_key::describe() const {
    switch (kind_) {
    case kind::string: {
        return quoted_key(data_);
    }
    case kind::bytes: {
        std::string s = "b\"";
        for (const char c : data_) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
            s += hex;
        }
        return s + "\"";
    }
    case kind::int64: return std::to_string(static_cast<std::int64_t>(integer_));
    case kind::uint64: return std::to_string(integer_);
    }
    return {};
}

frozen_map_key frozen_key::to_owned() const {
    switch (kind_) {
    case kind::string: return std::string(data_);
    case kind::bytes: {
        const auto* p = reinterpret_cast<const std::byte*>(data_.data());
        return std::vector<std::byte>(p, p + data_.size());
    }
    case kind::int64: return static_cast<std::int64_t>(integer_);
    case kind::uint64: return integer_;
    }
    return std::string();
}

frozen_key frozen_key::from_variant(const frozen_map_key& k) noexcept {
    return std::visit([](const auto& v) -> frozen_key { return frozen_key(v); }, k);
}

}  // namespace brine
