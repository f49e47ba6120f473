// std::tuple (and std::pair, brine/types/utility.hpp): a list record of fixed
// length, one value per member, as Python shows a tuple. Loading checks the
// length: a list of another length throws brine::type_error.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace brine::detail {

// Anything std::tuple_size / std::get understand: tuple, pair.
template <class Tuple>
struct tuple_serializer {
    static constexpr std::size_t size = std::tuple_size_v<Tuple>;

    static void save(format::writer& w, const Tuple& t) {
        w.begin_list(size);
        std::apply([&](const auto&... member) { (brine::save(w, member), ...); }, t);
        w.end();
    }

    static void load(format::reader& r, Tuple& t) {
        expect<Tuple>(r, node_kind::list);
        const std::uint64_t count = r.begin_list();
        if (count != size) mismatch<Tuple>(r, list_of(count));
        std::apply([&](auto&... member) { (brine::load(r, member), ...); }, t);
        r.end();
    }
};

}  // namespace brine::detail

namespace brine {

template <class... T>
struct serializer<std::tuple<T...>> : detail::tuple_serializer<std::tuple<T...>> {
    static std::string type_name() { return "std::tuple<" + detail::type_names<T...>() + ">"; }
};

}  // namespace brine
