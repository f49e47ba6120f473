// std::string: one string record (UTF-8 text, stored as given).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>

#include <string>

namespace brine {

template <>
struct serializer<std::string> {
    static void save(format::writer& w, const std::string& v) { w.write_string(v); }
    static void load(format::reader& r, std::string& v) {
        detail::expect<std::string>(r, node_kind::string);
        v = r.read_string();
    }
    static std::string type_name() { return "std::string"; }
};

}  // namespace brine
