// std::array<T, N>: a 1-d array of length N when T is a number, else a list
// of N values (brine/types/sequence.hpp). Loading checks the length: a
// stored sequence of another length throws brine::type_error.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/sequence.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace brine {

template <class T, std::size_t N>
struct serializer<std::array<T, N>> : detail::sequence_serializer<std::array<T, N>> {
    static std::string type_name() {
        return "std::array<" + serializer<T>::type_name() + ", " + std::to_string(N) + ">";
    }
};

}  // namespace brine
