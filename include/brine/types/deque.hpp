// std::deque<T>: a 1-d array when T is a number, else a list
// (brine/types/sequence.hpp).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/sequence.hpp>

#include <deque>
#include <string>

namespace brine {

template <class T, class Alloc>
struct serializer<std::deque<T, Alloc>> : detail::sequence_serializer<std::deque<T, Alloc>> {
    static std::string type_name() { return "std::deque<" + serializer<T>::type_name() + ">"; }
};

}  // namespace brine
