// std::set<T> and std::multiset<T>: a list record in the set's order
// (brine/types/sequence.hpp). Loading inserts each element.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/sequence.hpp>

#include <set>
#include <string>

namespace brine {

template <class T, class Compare, class Alloc>
struct serializer<std::set<T, Compare, Alloc>> : detail::set_serializer<std::set<T, Compare, Alloc>> {
    static std::string type_name() { return "std::set<" + serializer<T>::type_name() + ">"; }
};

template <class T, class Compare, class Alloc>
struct serializer<std::multiset<T, Compare, Alloc>> : detail::set_serializer<std::multiset<T, Compare, Alloc>> {
    static std::string type_name() { return "std::multiset<" + serializer<T>::type_name() + ">"; }
};

}  // namespace brine
