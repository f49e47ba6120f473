// Maps: std::map, std::unordered_map (and their multi- variants).
//
//   string keys      -> a dict record: what a Python dict of str looks like
//   any other keys   -> a map record of (key, value) pairs, so an int or a
//                       tuple key stays an int or a tuple, not its text
//   multimaps        -> always a map record: a dict cannot repeat a key
//
// A key is a string key when it is std::string or an owning string type
// convertible to std::string_view and constructible from std::string.
// Loading a string-keyed map accepts a dict or a map record; loading replaces
// the previous contents; a key repeated in the file keeps its last value.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/string.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace brine::detail {

template <class Key>
concept string_key = std::same_as<Key, std::string> ||
    (std::convertible_to<const Key&, std::string_view> && std::constructible_from<Key, std::string> &&
     !std::same_as<Key, std::string_view>);  // a view would dangle once the reader moves on

enum class keys { unique, repeated };

template <class Map, keys Keys>
struct map_serializer {
    using key_type = typename Map::key_type;
    using mapped_type = typename Map::mapped_type;
    static constexpr bool as_dict = string_key<key_type> && Keys == keys::unique;

    static void save(format::writer& w, const Map& m) {
        const auto count = static_cast<std::uint64_t>(m.size());
        if constexpr (as_dict) {
            w.begin_dict(count);
            for (const auto& [k, v] : m) {
                w.write_key(std::string_view(k));
                brine::save(w, v);
            }
        } else {
            w.begin_map(count);
            for (const auto& [k, v] : m) {
                brine::save(w, k);
                brine::save(w, v);
            }
        }
        w.end();
    }

    static void load(format::reader& r, Map& m) {
        m.clear();
        if constexpr (as_dict) {
            if (r.peek() == node_kind::dict) {
                const std::uint64_t count = r.begin_dict();
                reserve_at_most(r, m, count);
                for (std::uint64_t i = 0; i < count; ++i) {
                    auto slot = m.insert_or_assign(key_type(r.read_key()), mapped_type{}).first;
                    brine::load(r, slot->second);
                }
                r.end();
                return;
            }
        }
        expect<Map>(r, node_kind::map);
        const std::uint64_t count = r.begin_map();
        reserve_at_most(r, m, count);
        for (std::uint64_t i = 0; i < count; ++i) {
            key_type k{};
            brine::load(r, k);
            mapped_type v{};
            brine::load(r, v);
            if constexpr (Keys == keys::unique) m.insert_or_assign(std::move(k), std::move(v));
            else m.emplace(std::move(k), std::move(v));
        }
        r.end();
    }

    static std::string type_name(std::string_view template_name) {
        return std::string(template_name) + "<" + type_names<key_type, mapped_type>() + ">";
    }
};

}  // namespace brine::detail
