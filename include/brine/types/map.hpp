// std::map and std::multimap: a dict when the keys are strings, else a map
// record of (key, value) pairs (brine/types/mapping.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/mapping.hpp>

#include <map>
#include <string>

namespace brine {

template <class K, class V, class Compare, class Alloc>
struct serializer<std::map<K, V, Compare, Alloc>>
    : detail::map_serializer<std::map<K, V, Compare, Alloc>, detail::keys::unique> {
    static std::string type_name() { return serializer::map_serializer::type_name("std::map"); }
};

template <class K, class V, class Compare, class Alloc>
struct serializer<std::multimap<K, V, Compare, Alloc>>
    : detail::map_serializer<std::multimap<K, V, Compare, Alloc>, detail::keys::repeated> {
    static std::string type_name() { return serializer::map_serializer::type_name("std::multimap"); }
};

}  // namespace brine
