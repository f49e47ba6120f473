// std::optional<T>: a none record when empty, else the value itself, so
// Python sees None or the value. std::optional<std::optional<T>> cannot tell
// an empty inner optional from an empty outer one: both are none, and load
// as an empty outer optional.
#pragma once

#include <brine/serialize.hpp>

#include <optional>
#include <string>

namespace brine {

template <class T>
struct serializer<std::optional<T>> {
    static void save(format::writer& w, const std::optional<T>& v) {
        if (v) brine::save(w, *v);
        else w.write_none();
    }
    static void load(format::reader& r, std::optional<T>& v) {
        if (r.peek() == node_kind::none) {
            r.read_none();
            v.reset();
            return;
        }
        brine::load(r, v ? *v : v.emplace());
    }
    static std::string type_name() { return "std::optional<" + serializer<T>::type_name() + ">"; }
};

}  // namespace brine
