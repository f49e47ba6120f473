// std::unordered_set<T>: a list record in iteration order (unspecified, so
// two dumps of equal sets may differ byte for byte). Loading inserts each
// element (brine/types/sequence.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/sequence.hpp>

#include <string>
#include <unordered_set>

namespace brine {

template <class T, class Hash, class Equal, class Alloc>
struct serializer<std::unordered_set<T, Hash, Equal, Alloc>>
    : detail::set_serializer<std::unordered_set<T, Hash, Equal, Alloc>> {
    static std::string type_name() { return "std::unordered_set<" + serializer<T>::type_name() + ">"; }
};

}  // namespace brine
