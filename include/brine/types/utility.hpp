// std::pair: a list record of two values, like a Python 2-tuple
// (brine/types/tuple.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/tuple.hpp>

#include <string>
#include <utility>

namespace brine {

template <class First, class Second>
struct serializer<std::pair<First, Second>> : detail::tuple_serializer<std::pair<First, Second>> {
    static std::string type_name() { return "std::pair<" + detail::type_names<First, Second>() + ">"; }
};

}  // namespace brine
