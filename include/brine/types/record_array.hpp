// The way back from types/record_elements.hpp: a sequence of BRINE_FIELDS
// structs as one record array (numpy's structured dtype), for readers that
// want an ndarray of records rather than the list of dicts a
// std::vector<S> saves as.
//
//   struct point { double x; std::int32_t y; std::array<float, 3> rgb; };
//   BRINE_FIELDS(point, x, y, rgb)
//   brine::dump(brine::record_array(std::span<const point>(points)), "points.brine");
//   // numpy: dtype([('x', '<f8'), ('y', '<i4'), ('rgb', '<f4', (3,))])
//
// Members may be numbers, std::array of numbers (a sub-array field) and
// structs described the same way (a nested record); fields are packed in
// member order (numpy's default, align=False), in native byte order.
#pragma once

#include <brine/model/record_layout.hpp>
#include <brine/types/fields.hpp>
#include <brine/types/record_elements.hpp>
#include <brine/value/ndarray.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace brine {

namespace detail {

template <class M> struct field_encoder;  // how one member is laid out; none for other types

template <element M>
struct field_encoder<M> {
    static element_type type() { return {dtype_of<M>, native_byte_order, {}, 1, {}}; }
    static std::vector<std::uint64_t> shape() { return {}; }
    static void encode(const M& v, std::byte* at) { std::memcpy(at, &v, sizeof v); }
};

template <element E, std::size_t N>
struct field_encoder<std::array<E, N>> {
    static element_type type() { return field_encoder<E>::type(); }
    static std::vector<std::uint64_t> shape() { return {N}; }
    static void encode(const std::array<E, N>& v, std::byte* at) { std::memcpy(at, v.data(), sizeof(E) * N); }
};

// Every member of T has an encoder.
template <class T>
concept record_storable = described<T> && []<class... F>(std::type_identity<field_list<F...>>) {
    return (requires { field_encoder<typename member_of<F>::type>::type(); } && ...);
}(std::type_identity<decltype(brine_fields(tag<T>{}))>{});

template <class T>
    requires record_storable<T>
struct field_encoder<T> {
    static constexpr auto description = fields_of<T>();

    // The packed layout of T's members, computed once.
    static const element_type& layout() {
        static const element_type t = [] {
            element_type r{dtype::record, native_byte_order, {}, 0, {}};
            std::uint64_t at = 0;
            std::apply(
                [&](const auto&... f) {
                    ((r.fields.push_back(record_field{std::string(f.name), at,
                                                      field_encoder<typename member_of<std::remove_cvref_t<decltype(f)>>::type>::type(),
                                                      field_encoder<typename member_of<std::remove_cvref_t<decltype(f)>>::type>::shape()}),
                      at += r.fields.back().nbytes()),
                     ...);
                },
                description.members);
            r.width = static_cast<std::uint32_t>(at);
            return r;
        }();
        return t;
    }
    static element_type type() { return layout(); }
    static std::vector<std::uint64_t> shape() { return {}; }
    static void encode(const T& v, std::byte* element) {
        const auto& fields = layout().fields;
        std::size_t i = 0;
        std::apply(
            [&](const auto&... f) {
                ((field_encoder<typename member_of<std::remove_cvref_t<decltype(f)>>::type>::encode(v.*(f.member),
                                                                                                    element + fields[i++].offset)),
                 ...);
            },
            description.members);
    }
};

}  // namespace detail

// `items` as a 1-d record array, packed in member order, native byte order.
// Throws brine::error for a struct of no bytes (brine stores no empty
// records) or larger than max_record_itemsize.
template <class T>
    requires detail::record_storable<T>
ndarray record_array(std::span<const T> items) {
    const auto& type = detail::field_encoder<T>::layout();
    auto meta = array_meta::contiguous_of(type, {items.size()});
    auto data = io::buffer::allocate(static_cast<std::size_t>(items.size() * type.width));
    if (!data.bytes().empty()) std::memset(data.data(), 0, data.size());
    for (std::size_t i = 0; i < items.size(); ++i) detail::field_encoder<T>::encode(items[i], data.data() + i * type.width);
    return ndarray(std::move(meta), std::move(data));
}

}  // namespace brine
