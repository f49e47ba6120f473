// User types: one customization point that names the fields of a struct, so
// that it is saved as a dict {field name: value} and generic tools
// (brine::value, Python) see its fields by name.
//
// The customization point is a function `brine_fields(brine::tag<T>)`, found
// by argument-dependent lookup, that returns `brine::fields(type name,
// brine::field(name, member pointer)...)`. Three ways to provide it:
//
//   1. The macro, at namespace scope after the struct, in its namespace:
//
//          struct model { std::string name; xt::xtensor<float, 2> weights; };
//          BRINE_FIELDS(model, name, weights)
//
//   2. The same function written by hand (what the macro expands to), for
//      people who prefer no macros or want other names in the file:
//
//          constexpr auto brine_fields(brine::tag<model>) {
//              return brine::fields("model", brine::field("name", &model::name),
//                                            brine::field("weights", &model::weights));
//          }
//
//   3. As a hidden friend inside the class, when the fields are private or
//      the class is a template:
//
//          class model {
//              std::string name_;
//              friend constexpr auto brine_fields(brine::tag<model>) {
//                  return brine::fields("model", brine::field("name", &model::name_));
//              }
//          };
//
// Loading starts from the object as it is (default-constructed by brine::load)
// and reads the stored dict key by key:
//   - a stored key that names a field loads into that field;
//   - a field missing from the file keeps its current (default) value. This
//     is how a struct that gained a field loads a file from its older version;
//   - a stored key the struct does not know is skipped. This is how an older
//     program loads a newer file (the extra data is ignored, not an error).
// Field types must be serializable; members are found by pointer, so base
// class members can be listed (&derived::base_member works).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace brine {

// Names the type whose fields brine_fields describes (an empty tag type, so
// lookup finds the function in T's namespace and T's hidden friends).
template <class T>
struct tag {};

// One named field: the key in the stored dict and the member it holds.
template <class Class, class Member>
struct field {
    std::string_view name;
    Member Class::*member;

    constexpr field(std::string_view field_name, Member Class::*pointer) : name(field_name), member(pointer) {}
};

// The whole description: the type's name (for error messages and
// brine::type_name) and its fields, in the order they are saved.
template <class... Fields>
struct field_list {
    std::string_view type_name;
    std::tuple<Fields...> members;
};

template <class... Class, class... Member>
constexpr field_list<field<Class, Member>...> fields(std::string_view type_name, field<Class, Member>... members) {
    return {type_name, std::tuple<field<Class, Member>...>(members...)};
}

namespace detail {

template <class T> inline constexpr bool is_field_list = false;
template <class... F> inline constexpr bool is_field_list<field_list<F...>> = true;

template <class T>
constexpr auto fields_of() {
    return brine_fields(tag<T>{});  // argument-dependent lookup only: brine declares no brine_fields
}

// Two fields with one name would make the file ambiguous.
template <class List>
constexpr bool names_are_distinct(const List& list) {
    return std::apply(
        [](const auto&... f) {
            const std::string_view names[] = {f.name..., {}};
            for (std::size_t i = 0; i < sizeof...(f); ++i)
                for (std::size_t j = i + 1; j < sizeof...(f); ++j)
                    if (names[i] == names[j]) return false;
            return true;
        },
        list.members);
}

}  // namespace detail

// A type described by brine_fields(brine::tag<T>).
template <class T>
concept described = requires {
    { brine_fields(tag<T>{}) };
    requires detail::is_field_list<decltype(brine_fields(tag<T>{}))>;
};

template <described T>
struct serializer<T> {
    static constexpr auto description = detail::fields_of<T>();
    static_assert(detail::names_are_distinct(description), "brine_fields: two fields share a name");

    static void save(format::writer& w, const T& v) {
        w.begin_dict(std::tuple_size_v<decltype(description.members)>);
        std::apply(
            [&](const auto&... f) {
                ((w.write_key(f.name), brine::save(w, v.*(f.member))), ...);
            },
            description.members);
        w.end();
    }

    static void load(format::reader& r, T& v) {
        detail::expect<T>(r, node_kind::dict);
        const std::uint64_t count = r.begin_dict();
        for (std::uint64_t i = 0; i < count; ++i) {
            const std::string& key = r.read_key();
            const bool known = std::apply(
                [&](const auto&... f) {
                    return ((key == f.name ? (brine::load(r, v.*(f.member)), true) : false) || ...);
                },
                description.members);
            if (!known) r.skip_value();
        }
        r.end();
    }

    static std::string type_name() { return std::string(description.type_name); }
};

}  // namespace brine

// BRINE_FIELDS(type, field...): describes `type` by the named members, saved
// under their own names. Place it at namespace scope, in the namespace of
// `type`, after its definition. For class templates or private members write
// brine_fields by hand (see above).
#define BRINE_FIELDS(type, ...)                                                         \
    [[maybe_unused]] constexpr auto brine_fields(::brine::tag<type>) {                  \
        return ::brine::fields(#type __VA_OPT__(, BRINE_DETAIL_FOR_EACH(BRINE_DETAIL_FIELD, type, __VA_ARGS__))); \
    }

#define BRINE_DETAIL_FIELD(type, member) ::brine::field(#member, &type::member)

// A variadic for-each over up to 256 arguments (rescanned by nested expansion).
#define BRINE_DETAIL_PARENS ()
#define BRINE_DETAIL_EXPAND(...) BRINE_DETAIL_EXPAND4(BRINE_DETAIL_EXPAND4(BRINE_DETAIL_EXPAND4(BRINE_DETAIL_EXPAND4(__VA_ARGS__))))
#define BRINE_DETAIL_EXPAND4(...) BRINE_DETAIL_EXPAND3(BRINE_DETAIL_EXPAND3(BRINE_DETAIL_EXPAND3(BRINE_DETAIL_EXPAND3(__VA_ARGS__))))
#define BRINE_DETAIL_EXPAND3(...) BRINE_DETAIL_EXPAND2(BRINE_DETAIL_EXPAND2(BRINE_DETAIL_EXPAND2(BRINE_DETAIL_EXPAND2(__VA_ARGS__))))
#define BRINE_DETAIL_EXPAND2(...) BRINE_DETAIL_EXPAND1(BRINE_DETAIL_EXPAND1(BRINE_DETAIL_EXPAND1(BRINE_DETAIL_EXPAND1(__VA_ARGS__))))
#define BRINE_DETAIL_EXPAND1(...) __VA_ARGS__
#define BRINE_DETAIL_FOR_EACH(macro, type, ...) \
    __VA_OPT__(BRINE_DETAIL_EXPAND(BRINE_DETAIL_FOR_EACH_STEP(macro, type, __VA_ARGS__)))
#define BRINE_DETAIL_FOR_EACH_STEP(macro, type, first, ...) \
    macro(type, first) __VA_OPT__(, BRINE_DETAIL_FOR_EACH_AGAIN BRINE_DETAIL_PARENS(macro, type, __VA_ARGS__))
#define BRINE_DETAIL_FOR_EACH_AGAIN() BRINE_DETAIL_FOR_EACH_STEP
