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

// Counts come from the file. The reader bounds them by what the input can
// hold, but a compressed or piped input cannot tell, so a container never
// reserves more than this many bytes up front; beyond it, it grows as values
// arrive. Bytes, not elements: a brine::value is ~100 bytes, and 2^16 dict
// entries reserved on a 100-byte file's word were 13 MiB.
inline constexpr std::uint64_t max_reserve_bytes = std::uint64_t{1} << 20;

template <class Container>
void reserve_at_most(Container& c, std::uint64_t count) {
    if constexpr (requires { c.reserve(std::size_t{}); }) {
        constexpr std::uint64_t max_elements = std::max<std::uint64_t>(1, max_reserve_bytes / sizeof(std::ranges::range_value_t<Container>));
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
