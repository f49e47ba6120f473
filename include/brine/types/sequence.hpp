// Sequences: std::vector, std::deque, std::list, std::array (and, for the
// list half, std::set / std::unordered_set).
//
//   numbers (brine::element)  -> one 1-d array record: numpy sees an ndarray,
//                                and the data moves in bulk, not value by value
//   anything else             -> a list record, one value per element
//
// Loading a sequence of numbers accepts both a 1-d array and a list of
// scalars (what Python writes for a list of floats); a sequence of
// std::string both a list of strings and a 1-d bytes or str array (numpy's
// 'S<n>' and 'U<n>'); a sequence of BRINE_FIELDS structs both a list of
// dicts and a 1-d record array (types/record_elements.hpp). std::array
// checks the length. Loading replaces the
// previous contents.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/arithmetic.hpp>
#include <brine/types/common.hpp>
#include <brine/types/elements.hpp>
#include <brine/types/record_elements.hpp>
#include <brine/types/string_elements.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <ranges>
#include <span>
#include <string>
#include <tuple>
#include <utility>

namespace brine::detail {

// std::array and other sequences whose length is part of the type.
template <class Seq>
concept fixed_length = requires { std::tuple_size<Seq>::value; };

template <class Seq>
concept sequence_of_numbers = element<std::ranges::range_value_t<Seq>>;

// Saves a sized range of numbers as a 1-d array. Contiguous ranges go out in
// one piece; others (deque, list, vector<bool>) through a bounded buffer.
template <std::ranges::sized_range Range>
    requires sequence_of_numbers<Range>
void save_as_array(format::writer& w, const Range& range) {
    using T = std::ranges::range_value_t<Range>;
    const auto n = static_cast<std::uint64_t>(std::ranges::size(range));
    w.begin_array(array_meta::contiguous(dtype_of<T>, {n}));
    if constexpr (std::ranges::contiguous_range<Range>) {
        if (n != 0) w.write_array_data(std::as_bytes(std::span(std::ranges::data(range), std::ranges::size(range))));
    } else {
        write_elements_chunked<T>(w, std::ranges::begin(range), n);
    }
    w.end_array();
}

// Saves a sized range as a list record, one value per element.
template <std::ranges::sized_range Range>
void save_as_list(format::writer& w, const Range& range) {
    w.begin_list(static_cast<std::uint64_t>(std::ranges::size(range)));
    for (const auto& x : range) brine::save(w, x);
    w.end();
}

// Loads a 1-d array record into a sequence of numbers.
template <class Seq>
void load_from_array(format::reader& r, Seq& seq) {
    using T = std::ranges::range_value_t<Seq>;
    const array_meta& m = r.begin_array();
    if (m.shape.size() != 1 || !converts_losslessly(m.dtype, dtype_of<T>)) mismatch<Seq>(r, m.describe());
    const std::uint64_t n = m.shape[0];
    if constexpr (fixed_length<Seq>) {
        if (n != std::tuple_size_v<Seq>) mismatch<Seq>(r, m.describe());
        read_elements(r, m, std::span<T>(seq));
    } else {
        seq.clear();
        // Straight into the vector's memory when the reader vouches for the
        // size; otherwise grow as converted chunks arrive.
        if constexpr (std::ranges::contiguous_range<Seq> && requires { seq.resize(std::size_t{}); }) {
            if (r.array_size_trusted()) {
                seq.resize(static_cast<std::size_t>(n));
                read_elements(r, m, std::span<T>(seq));
                r.end_array();
                return;
            }
        }
        reserve_at_most(r, seq, n);
        read_elements_appending<T>(r, m, [&](std::span<const T> chunk) { seq.insert(seq.end(), chunk.begin(), chunk.end()); });
    }
    r.end_array();
}

// Loads a 1-d bytes or str array record into a sequence of std::string.
template <class Seq>
void load_strings_from_array(format::reader& r, Seq& seq) {
    const array_meta& m = r.begin_array();
    if (m.shape.size() != 1 || !has_width(m.dtype)) mismatch<Seq>(r, m.describe());
    if constexpr (fixed_length<Seq>) {
        if (m.shape[0] != std::tuple_size_v<Seq>) mismatch<Seq>(r, m.describe());
        auto out = seq.begin();
        read_string_elements(r, m, [&](std::string&& s) { *out++ = std::move(s); });
    } else {
        seq.clear();
        reserve_at_most(r, seq, m.shape[0]);
        read_string_elements(r, m, [&](std::string&& s) { seq.push_back(std::move(s)); });
    }
    r.end_array();
}

// Loads a 1-d record array into a sequence of BRINE_FIELDS structs.
template <class Seq>
void load_records_from_array(format::reader& r, Seq& seq) {
    using T = std::ranges::range_value_t<Seq>;
    const array_meta& m = r.begin_array();
    if (m.shape.size() != 1 || !is_record(m.dtype)) mismatch<Seq>(r, m.describe());
    if constexpr (fixed_length<Seq>) {
        if (m.shape[0] != std::tuple_size_v<Seq>) mismatch<Seq>(r, m.describe());
        auto out = seq.begin();
        read_record_elements<T>(r, m, [&](T&& x) { *out++ = std::move(x); });
    } else {
        seq.clear();
        reserve_at_most(r, seq, m.shape[0]);
        read_record_elements<T>(r, m, [&](T&& x) { seq.push_back(std::move(x)); });
    }
    r.end_array();
}

// The serializer of vector, deque, list and std::array; each header derives
// from it and adds type_name().
template <class Seq>
struct sequence_serializer {
    using element_type = std::ranges::range_value_t<Seq>;

    static void save(format::writer& w, const Seq& seq) {
        if constexpr (sequence_of_numbers<Seq>) save_as_array(w, seq);
        else save_as_list(w, seq);
    }

    static void load(format::reader& r, Seq& seq) {
        if constexpr (sequence_of_numbers<Seq>) {
            if (r.peek() == node_kind::array) return load_from_array(r, seq);
        } else if constexpr (std::same_as<element_type, std::string>) {
            if (r.peek() == node_kind::array) return load_strings_from_array(r, seq);
        } else if constexpr (record_loadable<element_type>) {
            if (r.peek() == node_kind::array) return load_records_from_array(r, seq);
        }
        expect<Seq>(r, node_kind::list);
        const std::uint64_t count = r.begin_list();
        if constexpr (fixed_length<Seq>) {
            if (count != std::tuple_size_v<Seq>) mismatch<Seq>(r, list_of(count));
            for (auto& x : seq) brine::load(r, x);
        } else {
            seq.clear();
            reserve_at_most(r, seq, count);
            for (std::uint64_t i = 0; i < count; ++i) {
                if constexpr (element<element_type>) {  // also vector<bool>, whose back() is a proxy
                    element_type x{};
                    brine::load(r, x);
                    seq.push_back(x);
                } else {
                    brine::load(r, seq.emplace_back());
                }
            }
        }
        r.end();
    }
};

// std::set and std::unordered_set: a list record (a Python set pickles to
// no standard brine record, and a list is what generic tools show best).
// Loading inserts each element; duplicates in the file collapse.
template <class Set>
struct set_serializer {
    using key_type = typename Set::key_type;

    static void save(format::writer& w, const Set& set) {  // a list record; begin_set marks its order as meaningless
        w.begin_set(static_cast<std::uint64_t>(set.size()));
        for (const auto& x : set) brine::save(w, x);
        w.end();
    }

    static void load(format::reader& r, Set& set) {
        expect<Set>(r, node_kind::list);
        const std::uint64_t count = r.begin_list();
        set.clear();
        reserve_at_most(r, set, count);
        for (std::uint64_t i = 0; i < count; ++i) {
            key_type k{};
            brine::load(r, k);
            set.insert(std::move(k));
        }
        r.end();
    }
};

}  // namespace brine::detail
