// std::variant<T...>: a dict {"index": i, "value": v}.
//
// Why a dict and not just the value: the value alone cannot say which
// alternative it was (variant<int, long> both store int64 scalars;
// variant<std::string, std::vector<char>> may both be empty), so loading
// would have to guess. The index makes the alternative exact, and generic
// tools (brine::value, Python) still find the value under "value".
//
// std::monostate, the usual empty alternative, is a none record.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/arithmetic.hpp>
#include <brine/types/common.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace brine {

template <>
struct serializer<std::monostate> {
    static void save(format::writer& w, std::monostate) { w.write_none(); }
    static void load(format::reader& r, std::monostate&) {
        detail::expect<std::monostate>(r, node_kind::none);
        r.read_none();
    }
    static std::string type_name() { return "std::monostate"; }
};

template <class... T>
struct serializer<std::variant<T...>> {
    using variant = std::variant<T...>;

    static void save(format::writer& w, const variant& v) {
        w.begin_dict(2);
        w.write_key("index");
        // A variant that lost its value in a throwing assignment has no index;
        // it is stored as -1 with a none value and refuses to load.
        w.write_number(v.valueless_by_exception() ? std::int64_t{-1} : static_cast<std::int64_t>(v.index()));
        w.write_key("value");
        if (v.valueless_by_exception()) w.write_none();
        else std::visit([&](const auto& alternative) { brine::save(w, alternative); }, v);
        w.end();
    }

    static void load(format::reader& r, variant& v) {
        detail::expect<variant>(r, node_kind::dict);
        const std::uint64_t count = r.begin_dict();
        if (count != 2 || r.read_key() != "index") detail::mismatch<variant>(r, "dict without an \"index\" first");
        std::int64_t index = -1;
        brine::load(r, index);
        if (index < 0 || static_cast<std::uint64_t>(index) >= sizeof...(T))
            detail::mismatch<variant>(r, "variant index " + std::to_string(index));
        if (r.read_key() != "value") detail::mismatch<variant>(r, "dict without a \"value\" second");
        load_alternative(r, v, static_cast<std::size_t>(index), std::index_sequence_for<T...>{});
        r.end();
    }

    static std::string type_name() { return "std::variant<" + detail::type_names<T...>() + ">"; }

private:
    template <std::size_t... I>
    static void load_alternative(format::reader& r, variant& v, std::size_t index, std::index_sequence<I...>) {
        (void)((index == I ? (brine::load(r, v.template emplace<I>()), true) : false) || ...);
    }
};

}  // namespace brine
