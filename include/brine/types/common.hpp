// Small helpers shared by the headers in brine/types/: checking the kind of
// the next record, bounded up-front reservations, and readable type names.
#pragma once

#include <brine/serialize.hpp>

#include <algorithm>
#include <ranges>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace brine::detail {

// What reserve(n) allocates per element: a hash table's bucket pointer for
// node-based containers, the element itself for contiguous ones.
template <class Container>
inline constexpr std::size_t reserved_bytes_per_element =
    requires(const Container& c) { c.bucket_count(); } ? sizeof(void*) : sizeof(std::ranges::range_value_t<Container>);

// Counts come from the file. Reserving all of them up front saves the
// regrowth (rehashing 1 M map entries several times cost a third of a load),
// but only as far as the reader's reservation budget goes, which is backed
// by input actually present: beyond it, a container grows as values arrive.
// Bytes, not elements: 2^16 dict entries of brine::value reserved on a
// 100-byte file's word were once 13 MiB.
template <class Container>
void reserve_at_most(const format::reader& r, Container& c, std::uint64_t count) {
    if constexpr (requires { c.reserve(std::size_t{}); }) {
        const std::uint64_t max_elements =
            std::max<std::uint64_t>(1, r.reservation_budget() / reserved_bytes_per_element<Container>);
        c.reserve(static_cast<std::size_t>(std::min(count, max_elements)));
    }
}

// Throw brine::type_error: "<path>: stored <stored or the next record>,
// requested <T's name>". The name is built only then: loading many small
// values must not format type names that no message will show.
template <class T>
[[noreturn]] void mismatch(format::reader& r) {
    r.type_mismatch(serializer<T>::type_name());
}
template <class T>
[[noreturn]] void mismatch(format::reader& r, std::string_view stored) {
    r.type_mismatch(stored, serializer<T>::type_name());
}

// Throws brine::type_error unless the next record is of kind `k`.
template <class T>
void expect(format::reader& r, node_kind k) {
    if (r.peek() != k) mismatch<T>(r);
}
// The same with a name at hand (used by types/ndarray.hpp and brine_array.hpp).
inline void expect(format::reader& r, node_kind k, std::string_view requested) {
    if (r.peek() != k) r.type_mismatch(requested);
}

// "int, std::string" for the argument lists of template type names.
template <class... T>
std::string type_names() {
    std::string out;
    ((out += (out.empty() ? "" : ", ") + serializer<T>::type_name()), ...);
    return out;
}

// "list of 3", how a list of the wrong length is described (as the reader
// describes records).
inline std::string list_of(std::uint64_t count) { return "list of " + std::to_string(count); }

}  // namespace brine::detail
