// The elements of a record array (numpy's structured dtypes) as C++ structs
// described by BRINE_FIELDS (types/fields.hpp): a std::vector<point> loads
// from a 1-d array of dtype [('x', '<f8'), ('y', '<i4')] as it does from a
// list of dicts.
//
// Fields match by name, with the rules of a dict: a member the record lacks
// keeps its default, a record field no member names is skipped. A member
// and the field of its name must agree, or the load throws type_error
// naming both:
//   - a number: a field of one number that converts losslessly (int32 into
//     int64 or double, not the reverse), in either byte order;
//   - std::string: a bytes or str field;
//   - std::array<number, N>: a sub-array field of N numbers (row-major);
//   - a struct itself described by BRINE_FIELDS: a record field, recursively.
// A struct with any other member type (a vector, an xtensor...) loads from
// dicts only.
#pragma once

#include <brine/error.hpp>
#include <brine/format/reader.hpp>
#include <brine/model/record_layout.hpp>
#include <brine/model/scalar.hpp>
#include <brine/model/string_element.hpp>
#include <brine/types/elements.hpp>
#include <brine/types/fields.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace brine::detail {

template <class M> struct field_decoder;  // how one member reads its field; none for unsupported types

// One number at `at`, of a field's element type.
template <element M>
M decode_number(const std::byte* at, const element_type& t) {
    std::byte little[max_itemsize];
    std::memcpy(little, at, itemsize(t.dtype));
    if (t.order != byte_order::little) swap_byte_order({little, itemsize(t.dtype)}, t.dtype);
    return scalar::from_le_bytes(t.dtype, little, t.unit).as<M>();
}

template <element M>
struct field_decoder<M> {
    static bool accepts(const record_field& f) {
        return f.shape.empty() && !is_sized(f.type.dtype) && converts_losslessly(f.type.dtype, dtype_of<M>);
    }
    explicit field_decoder(const record_field& f) : offset(f.offset), type(f.type) {}
    void decode(const std::byte* element, M& out) const { out = decode_number<M>(element + offset, type); }
    std::uint64_t offset;
    element_type type;
};

template <element E, std::size_t N>
struct field_decoder<std::array<E, N>> {
    static bool accepts(const record_field& f) {
        return f.count() == N && !is_sized(f.type.dtype) && converts_losslessly(f.type.dtype, dtype_of<E>);
    }
    explicit field_decoder(const record_field& f) : offset(f.offset), type(f.type) {}
    void decode(const std::byte* element, std::array<E, N>& out) const {
        for (std::size_t i = 0; i < N; ++i) out[i] = decode_number<E>(element + offset + i * itemsize(type.dtype), type);
    }
    std::uint64_t offset;
    element_type type;
};

template <>
struct field_decoder<std::string> {
    static bool accepts(const record_field& f) { return f.shape.empty() && has_width(f.type.dtype); }
    explicit field_decoder(const record_field& f) : offset(f.offset), meta(array_meta::contiguous_of(f.type, {})) {}
    void decode(const std::byte* element, std::string& out) const {
        auto text = string_element_value(meta, {element + offset, static_cast<std::size_t>(meta.itemsize())});
        if (!text) throw type_error({}, "a string field holds a code point above U+10FFFF");
        out = std::move(*text);
    }
    std::uint64_t offset;
    array_meta meta;
};

template <class F> struct member_of;
template <class C, class M> struct member_of<field<C, M>> { using type = M; };

// Every member of T has a decoder.
template <class T>
concept record_loadable = described<T> && []<class... F>(std::type_identity<field_list<F...>>) {
    return (requires(const record_field& f) { field_decoder<typename member_of<F>::type>::accepts(f); } && ...);
}(std::type_identity<decltype(brine_fields(tag<T>{}))>{});

// A struct: a record field, or the whole element of a record array. Each
// member is matched with the field of its name once, when the array starts.
template <class T>
    requires record_loadable<T>
struct field_decoder<T> {
    static constexpr auto description = fields_of<T>();
    template <class F> using decoder_of = std::optional<field_decoder<typename member_of<F>::type>>;
    using plan_type = decltype([]<class... F>(std::type_identity<field_list<F...>>) {
        return std::tuple<decoder_of<F>...>{};
    }(std::type_identity<std::remove_cvref_t<decltype(description)>>{}));

    static bool accepts(const record_field& f) { return f.shape.empty() && is_record(f.type.dtype); }
    explicit field_decoder(const record_field& f, const location& where = {}) : field_decoder(f.type.fields, where, f.offset) {}
    field_decoder(const std::vector<record_field>& fields, const location& where, std::uint64_t offset = 0) : offset(offset) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (match(std::get<I>(description.members), std::get<I>(plan), fields, where), ...);
        }(std::make_index_sequence<std::tuple_size_v<plan_type>>{});
    }
    void decode(const std::byte* element, T& out) const {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((std::get<I>(plan) ? std::get<I>(plan)->decode(element + offset, out.*(std::get<I>(description.members).member))
                                : void()),
             ...);
        }(std::make_index_sequence<std::tuple_size_v<plan_type>>{});
    }

    std::uint64_t offset;
    plan_type plan;

private:
    template <class F, class D>
    static void match(const F& member, D& decoder, const std::vector<record_field>& fields, const location& where) {
        const auto* f = find_field(fields, member.name);
        if (!f) return;  // keeps its default, as a dict without the key
        using M = typename member_of<F>::type;
        if (!field_decoder<M>::accepts(*f))
            throw type_error(where, "record field '" + f->name + "' (" + f->type.text() + (f->shape.empty() ? "" : " " + shape_text(f->shape)) +
                                        ") cannot load into " + std::string(description.type_name) + "::" + std::string(member.name) +
                                        " (" + serializer<M>::type_name() + ")");
        if constexpr (record_loadable<M>) decoder.emplace(*f, where);
        else decoder.emplace(*f);
    }
};

// Reads the current array's elements (after reader::begin_array; a record
// dtype) into T, each handed to `consume(T&&)` in stored order, through one
// buffer of about chunk_bytes (one element when larger).
template <class T, class Consume>
    requires record_loadable<T>
void read_record_elements(format::reader& r, const array_meta& m, Consume&& consume) {
    const field_decoder<T> decoder(m.fields, r.where());
    const std::uint64_t item = std::max<std::uint64_t>(m.itemsize(), 1);
    const std::uint64_t count = m.size();
    const std::uint64_t per_group = std::max<std::uint64_t>(1, chunk_bytes / item);
    std::vector<std::byte> buffer;
    for (std::uint64_t done = 0; done < count;) {
        const std::uint64_t group = std::min(per_group, count - done);
        const std::uint64_t want = group * m.itemsize();
        buffer.clear();
        while (buffer.size() < want) {  // grows only as the bytes arrive
            const auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, want - buffer.size()));
            const auto at = buffer.size();
            buffer.resize(at + piece);
            r.read_array_data({buffer.data() + at, piece});
        }
        for (std::uint64_t i = 0; i < group; ++i) {
            T value{};
            decoder.decode(buffer.data() + i * m.itemsize(), value);
            consume(std::move(value));
        }
        done += group;
    }
}

}  // namespace brine::detail
