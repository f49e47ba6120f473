// brine::array<T> and brine::tensor<T, N>: one array record in the array's
// own layout (C or F), like xt::xarray.
//
// Loading is zero-copy whenever the stored bytes can be used as they are:
//   - same dtype, native byte order: the payload buffer becomes the array's
//     storage, mapped from the file under load_options::mmap (uncompressed
//     input), else read once into owned 64-byte-aligned memory;
//   - same dtype, other byte order: swapped in place in owned memory; when the
//     payload is mapped this throws brine::unsupported_error instead (a
//     mapping cannot be swapped, and reading it unswapped would give wrong
//     numbers): load without mmap, or as brine::ndarray / brine::value, which
//     keep the byte order and convert on access;
//   - another dtype that converts losslessly (brine/model/scalar.hpp): converted
//     into owned memory (a copy, even under mmap);
//   - a read-only mapping (mmap_mode::read_only) loads into array<const T>;
//     into a mutable array<T> it throws brine::type_error (see value/array.hpp).
// A scalar record loads into a 0-d array (array<T> or tensor<T, 0>).
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/elements.hpp>
#include <brine/types/ndarray.hpp>
#include <brine/value/array.hpp>

#include <algorithm>
#include <span>
#include <string>

namespace brine {

template <class T, std::size_t N>
struct serializer<basic_array<T, N>> {
    using array_type = basic_array<T, N>;
    using element_type = typename array_type::value_type;

    static void save(format::writer& w, const array_type& a) { serializer<ndarray>::save(w, a.to_ndarray()); }

    static void load(format::reader& r, array_type& a) {
        const std::string requested = type_name();
        if constexpr (N == 0 || N == dynamic_rank) {
            if (r.peek() == node_kind::scalar) {
                a = from_scalar(r, requested);
                return;
            }
        }
        detail::expect(r, node_kind::array, requested);
        array_meta meta = r.begin_array();
        if (!converts_losslessly(meta.dtype, array_type::element_dtype) || (N != dynamic_rank && meta.shape.size() != N))
            r.type_mismatch(meta.describe(), requested);
        a = meta.dtype == array_type::element_dtype ? take(r, std::move(meta), requested) : convert(r, meta);
    }

    static std::string type_name() { return array_type::type_name(); }

private:
    // The payload itself becomes the array's storage.
    static array_type take(format::reader& r, array_meta meta, const std::string& requested) {
        io::buffer payload = r.take_array_data(detail::wants_mapping(r));
        if (meta.order != native_byte_order) {
            if (payload.mapped())
                throw unsupported_error(r.where(), r.path() + ": the " + meta.describe() +
                                                       " is not in this machine's byte order, so it cannot be mapped as " +
                                                       requested +
                                                       "; load it with mmap_mode::none to have it swapped in memory, "
                                                       "or as brine::ndarray, which converts on access");
            swap_byte_order(payload.bytes(), meta.dtype);
            meta.order = native_byte_order;
        }
        if constexpr (std::is_same_v<element_type, bool>) canonical_bools(r, payload);
        if (auto why = array_type::incompatibility(meta, payload.writable()))
            r.type_mismatch(meta.describe(), requested + ": " + *why);
        r.end_array();
        return array_type::from(ndarray(std::move(meta), std::move(payload)));
    }

    // Lossless conversion into fresh owned memory, in the stored layout.
    static array_type convert(format::reader& r, const array_meta& meta) {
        // Nothing is allocated on the file's word alone: when the reader cannot
        // vouch for the size, the payload must arrive before the target exists.
        io::buffer payload;
        const bool arrived_first = !r.array_size_trusted();
        if (arrived_first) payload = r.take_array_data(false);
        const auto count = static_cast<std::size_t>(meta.size());
        io::buffer out = io::buffer::allocate(count * sizeof(element_type));
        std::span<element_type> dst(reinterpret_cast<element_type*>(out.data()), count);
        if (arrived_first) {
            std::size_t done = 0;
            detail::for_each_payload_chunk(payload, meta, [&](std::span<const std::byte> chunk) {
                const std::size_t n = chunk.size() / itemsize(meta.dtype);
                detail::convert_elements(meta.dtype, chunk.data(), dst.data() + done, n);
                done += n;
            });
        } else {
            detail::read_elements(r, meta, dst);
        }
        r.end_array();
        return array_type::from(
            ndarray(array_meta::contiguous(array_type::element_dtype, meta.shape, meta.layout()), std::move(out)));
    }

    // A bool is one byte, 0 or 1; any other byte read as bool is undefined
    // behaviour. Owned memory is normalized; a mapping cannot be, so it is
    // checked (the one case where loading with mmap reads every page).
    static void canonical_bools(format::reader& r, io::buffer& payload) {
        auto bytes = payload.bytes();
        if (!payload.mapped()) return detail::normalize_bools(bytes);
        if (std::any_of(bytes.begin(), bytes.end(), [](std::byte b) { return b > std::byte{1}; }))
            throw corrupt_error(r.where(), r.path() + ": bool array holds bytes other than 0 and 1");
    }

    static array_type from_scalar(format::reader& r, const std::string& requested) {
        const scalar s = r.read_scalar();
        const auto x = s.get<element_type>();
        if (!x) r.type_mismatch(std::string(name(s.type())), requested);
        io::buffer one = io::buffer::allocate(sizeof(element_type));
        *reinterpret_cast<element_type*>(one.data()) = *x;
        return array_type::from(ndarray(array_meta::contiguous(array_type::element_dtype, {}), std::move(one)));
    }
};

}  // namespace brine
