// std::list<T>: a 1-d array when T is a number, else a list
// (brine/types/sequence.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/sequence.hpp>

#include <list>
#include <string>

namespace brine {

template <class T, class Alloc>
struct serializer<std::list<T, Alloc>> : detail::sequence_serializer<std::list<T, Alloc>> {
    static std::string type_name() { return "std::list<" + serializer<T>::type_name() + ">"; }
};

}  // namespace brine
