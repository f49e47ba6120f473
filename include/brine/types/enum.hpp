// Enumerations, scoped or not: the value of their underlying integer type, as
// cereal stores them. A file written with `enum class color : std::uint8_t`
// holds a uint8 scalar, so Python reads an int and a changed enumerator list
// still loads old files. Any value of the underlying type loads (C++ allows
// it); checking it against the enumerators is the caller's business.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/arithmetic.hpp>

#include <string>
#include <type_traits>

namespace brine {

template <class T>
    requires std::is_enum_v<T>
struct serializer<T> {
    using underlying = std::underlying_type_t<T>;

    static void save(format::writer& w, const T& v) { serializer<underlying>::save(w, static_cast<underlying>(v)); }

    static void load(format::reader& r, T& v) {
        underlying u{};
        serializer<underlying>::load(r, u);
        v = static_cast<T>(u);
    }

    static std::string type_name() { return "an enum of " + serializer<underlying>::type_name(); }
};

}  // namespace brine
