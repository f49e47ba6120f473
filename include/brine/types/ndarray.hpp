// brine::ndarray: one array record, stored as it is (any dtype, either byte
// order, C or F layout). Loading never converts: the payload is taken whole,
// mapped from the file when load_options::mmap asks for it and the input can
// be mapped (an uncompressed file, memory), else read into owned memory.
// Used by brine::value for its arrays, and by brine::array<T>.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/value/ndarray.hpp>

#include <string>

namespace brine {

namespace detail {

// Whether loaders should ask the reader to map array payloads.
inline bool wants_mapping(const format::reader& r) noexcept { return r.options().mmap != mmap_mode::none; }

}  // namespace detail

template <>
struct serializer<ndarray> {
    static void save(format::writer& w, const ndarray& a) {
        w.begin_array(a.meta());
        if (a.nbytes() != 0) w.write_array_data(a.bytes());
        w.end_array();
    }

    static void load(format::reader& r, ndarray& a) {
        detail::expect(r, node_kind::array, type_name());
        array_meta meta = r.begin_array();
        io::buffer payload = r.take_array_data(detail::wants_mapping(r));
        r.end_array();
        a = ndarray(std::move(meta), std::move(payload));
    }

    static std::string type_name() { return "brine::ndarray"; }
};

}  // namespace brine
