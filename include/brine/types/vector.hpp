// std::vector<T>: a 1-d array when T is a number (vector<bool> too, as a bool
// array), else a list (brine/types/sequence.hpp). std::vector<std::byte> is
// opaque data: one bytes record (Python bytes).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/sequence.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace brine {

template <class T, class Alloc>
struct serializer<std::vector<T, Alloc>> : detail::sequence_serializer<std::vector<T, Alloc>> {
    static std::string type_name() { return "std::vector<" + serializer<T>::type_name() + ">"; }
};

template <class Alloc>
struct serializer<std::vector<std::byte, Alloc>> {
    static void save(format::writer& w, const std::vector<std::byte, Alloc>& v) { w.write_bytes(v); }
    static void load(format::reader& r, std::vector<std::byte, Alloc>& v) {
        detail::expect<std::vector<std::byte, Alloc>>(r, node_kind::bytes);
        auto bytes = r.read_bytes();
        v.assign(bytes.begin(), bytes.end());
    }
    static std::string type_name() { return "std::vector<std::byte>"; }
};

}  // namespace brine
