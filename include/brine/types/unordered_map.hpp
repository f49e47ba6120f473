// std::unordered_map and std::unordered_multimap: a dict when the keys are
// strings, else a map record of (key, value) pairs, in iteration order
// (brine/types/mapping.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/mapping.hpp>

#include <string>
#include <unordered_map>

namespace brine {

template <class K, class V, class Hash, class Equal, class Alloc>
struct serializer<std::unordered_map<K, V, Hash, Equal, Alloc>>
    : detail::map_serializer<std::unordered_map<K, V, Hash, Equal, Alloc>, detail::keys::unique> {
    static std::string type_name() { return serializer::map_serializer::type_name("std::unordered_map"); }
};

template <class K, class V, class Hash, class Equal, class Alloc>
struct serializer<std::unordered_multimap<K, V, Hash, Equal, Alloc>>
    : detail::map_serializer<std::unordered_multimap<K, V, Hash, Equal, Alloc>, detail::keys::repeated> {
    static std::string type_name() { return serializer::map_serializer::type_name("std::unordered_multimap"); }
};

}  // namespace brine
