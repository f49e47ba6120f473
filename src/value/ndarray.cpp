// ndarray: validation of metadata against bytes, element access in any byte
// order, logical comparison across layouts and byte orders.
#include <brine/value/ndarray.hpp>

#include "model/byte_order.hpp"

#include <brine/model/string_element.hpp>
#include "value_error.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace brine {

namespace {

// The element stored at byte `offset`, converted from the array's byte order.
scalar element_at(const array_meta& m, const std::byte* data, std::uint64_t offset) {
    std::byte little[max_itemsize];
    std::memcpy(little, data + offset, itemsize(m.dtype));
    if (m.order != byte_order::little) swap_byte_order({little, itemsize(m.dtype)}, m.dtype);
    return scalar::from_le_bytes(m.dtype, little, m.unit);
}

}  // namespace

const ndarray::state& ndarray::empty_state() noexcept {
    static const state empty{array_meta::contiguous(dtype::float64, {0}), {}};
    return empty;
}

ndarray::ndarray(array_meta meta, io::buffer data) {
    if (!is_valid(meta.dtype)) detail::fail("ndarray: invalid dtype code " + std::to_string(int(meta.dtype)));
    if (meta.shape.size() > max_rank)
        detail::fail("ndarray: rank " + std::to_string(meta.shape.size()) + " exceeds " + std::to_string(max_rank));
    // Empty strides are a shorthand for C order.
    if (has_width(meta.dtype) ? meta.width == 0 || meta.itemsize() > max_string_itemsize : !is_record(meta.dtype) && meta.width != 1)
        detail::fail("ndarray: width " + std::to_string(meta.width) + " for dtype " + std::string(name(meta.dtype)) +
                     " (bytes and str: 1 to 2^31 - 1 bytes; record: its size; other dtypes: 1)");
    if (!is_record(meta.dtype) && !meta.fields.empty()) detail::fail("ndarray: fields for a dtype that is not a record");
    if (is_record(meta.dtype))
        if (auto p = record_layout_problem(meta.fields, meta.width)) detail::fail("ndarray: " + *p);
    if (meta.strides.empty() && !meta.shape.empty())
        meta.strides = array_meta::contiguous_strides(meta.shape, meta.itemsize(), memory_order::c);
    if (!meta.is_c_contiguous() && !meta.is_f_contiguous())
        detail::fail("ndarray: the strides of a " + meta.describe() + " are neither C- nor F-contiguous");
    const auto nbytes = meta.checked_nbytes();
    if (!nbytes) detail::fail("ndarray: " + meta.describe() + " has more bytes than 2^64");
    if (*nbytes != data.size())
        detail::fail("ndarray: a " + meta.describe() + " needs " + std::to_string(*nbytes) + " bytes, the buffer has " +
                     std::to_string(data.size()));
    if (*nbytes != 0 && data.data() == nullptr) detail::fail("ndarray: null buffer for a " + meta.describe());
    state_ = std::make_shared<const state>(state{std::move(meta), std::move(data)});
}

ndarray ndarray::zeros(brine::dtype t, std::vector<std::uint64_t> shape, memory_order order) {
    auto meta = array_meta::contiguous(t, std::move(shape), order);
    const auto nbytes = meta.checked_nbytes();
    if (!nbytes || *nbytes > std::numeric_limits<std::size_t>::max())
        detail::fail<limit_error>("ndarray::zeros: a " + meta.describe() + " does not fit in memory");
    auto data = io::buffer::allocate(static_cast<std::size_t>(*nbytes));
    if (*nbytes) std::memset(data.data(), 0, data.size());
    return ndarray(std::move(meta), std::move(data));
}

ndarray ndarray::from_strings(brine::dtype t, std::span<const std::string> elements, std::vector<std::uint64_t> shape,
                              memory_order order, byte_order bytes) {
    auto meta = string_array_meta(t, elements, std::move(shape), order);
    meta.order = t == dtype::bytes ? native_byte_order : bytes;
    const auto nbytes = meta.checked_nbytes();
    if (!nbytes || *nbytes > std::numeric_limits<std::size_t>::max())
        detail::fail<limit_error>("ndarray::from_strings: a " + meta.describe() + " does not fit in memory");
    if (meta.size() != elements.size())
        detail::fail("ndarray::from_strings: " + std::to_string(elements.size()) + " elements given for shape " + shape_text(meta.shape));
    auto data = io::buffer::allocate(static_cast<std::size_t>(*nbytes));
    const auto item = static_cast<std::size_t>(meta.itemsize());
    for (std::size_t i = 0; i < elements.size(); ++i) put_string_element(meta, data.bytes().subspan(i * item, item), elements[i]);
    return ndarray(std::move(meta), std::move(data));
}

void ndarray::check_count(std::size_t n) const {
    if (n != size())
        detail::fail("ndarray::copy_of: " + std::to_string(n) + " elements given for shape " + shape_text(shape()) +
                     ", which holds " + std::to_string(size()));
}

void ndarray::check_view(brine::dtype t, bool write) const {
    if (t != dtype())
        detail::fail<type_error>("requested " + std::string(name(t)) + " elements of a " + st().meta.describe());
    if (st().meta.order != native_byte_order)
        detail::fail<type_error>("the " + st().meta.describe() + " is not in native byte order; use to_native()");
    if (write && !writable())
        detail::fail<type_error>("the " + st().meta.describe() +
                                 " is read-only (mapped with mmap_mode::read_only); use copy() for a writable copy");
    if (reinterpret_cast<std::uintptr_t>(st().data.data()) % component_size(t) != 0)
        detail::fail<type_error>("the data of the " + st().meta.describe() + " is misaligned for " + std::string(name(t)) +
                                 "; use copy()");
}

void ndarray::check_number_elements() const {
    if (has_width(dtype())) detail::fail<type_error>("the elements of a " + st().meta.describe() + " are strings; use string_at()");
    if (is_record(dtype())) detail::fail<type_error>("the elements of a " + st().meta.describe() + " are records; use field()");
}

scalar ndarray::at(std::uint64_t i) const {
    if (i >= size()) throw std::out_of_range("ndarray::at: element " + std::to_string(i) + " of " + std::to_string(size()));
    check_number_elements();
    return element_at(st().meta, st().data.data(), i * st().meta.itemsize());
}

std::string ndarray::string_at(std::uint64_t i) const {
    if (!has_width(dtype())) detail::fail<type_error>("string_at() of a " + st().meta.describe() + ", whose elements are not strings");
    if (i >= size()) throw std::out_of_range("ndarray::string_at: element " + std::to_string(i) + " of " + std::to_string(size()));
    const auto item = static_cast<std::size_t>(st().meta.itemsize());
    auto text = string_element_value(st().meta, st().data.bytes().subspan(static_cast<std::size_t>(i) * item, item));
    if (!text) detail::fail<type_error>("element " + std::to_string(i) + " of the " + st().meta.describe() +
                                        " holds a code point above U+10FFFF");
    return std::move(*text);
}

std::uint64_t ndarray::offset_of(std::span<const std::uint64_t> index, const char* who) const {
    if (index.size() != ndim())
        throw std::out_of_range(std::string(who) + ": " + std::to_string(index.size()) + " indices for a " + st().meta.describe());
    std::uint64_t offset = 0;
    for (std::size_t k = 0; k < index.size(); ++k) {
        if (index[k] >= st().meta.shape[k])
            throw std::out_of_range(std::string(who) + ": index " + std::to_string(index[k]) + " on axis " + std::to_string(k) +
                                    " of a " + st().meta.describe());
        offset += index[k] * static_cast<std::uint64_t>(st().meta.strides[k]);
    }
    return offset;
}

scalar ndarray::at(std::span<const std::uint64_t> index) const {
    const auto offset = offset_of(index, "ndarray::at");
    check_number_elements();
    return element_at(st().meta, st().data.data(), offset);
}

std::string ndarray::string_at(std::span<const std::uint64_t> index) const {
    return string_at(offset_of(index, "ndarray::string_at") / st().meta.itemsize());
}

ndarray ndarray::record_at(std::uint64_t i) const {
    const auto& m = st().meta;
    if (!is_record(m.dtype)) detail::fail<type_error>("record_at() of a " + m.describe() + ", whose elements are not records");
    if (i >= size()) throw std::out_of_range("ndarray::record_at: element " + std::to_string(i) + " of " + std::to_string(size()));
    auto meta = array_meta::contiguous_of(m.element(), {});
    const auto item = static_cast<std::size_t>(m.itemsize());
    auto data = io::buffer::allocate(item);
    if (item) std::memcpy(data.data(), st().data.data() + static_cast<std::size_t>(i) * item, item);
    return ndarray(std::move(meta), std::move(data));
}

ndarray ndarray::record_at(std::span<const std::uint64_t> index) const {
    const auto offset = offset_of(index, "ndarray::record_at");
    return record_at(st().meta.itemsize() ? offset / st().meta.itemsize() : 0);
}

ndarray ndarray::field(std::string_view name) const {
    const auto& m = st().meta;
    if (!is_record(m.dtype)) detail::fail<type_error>("field '" + std::string(name) + "' of a " + m.describe() + ", which is not a record array");
    const auto* f = find_field(m.fields, name);
    if (!f) {
        std::string names;
        for (const auto& g : m.fields) names += (names.empty() ? "'" : ", '") + g.name + "'";
        throw std::out_of_range("no field '" + std::string(name) + "' in a " + m.describe() + (names.empty() ? "" : "; its fields are " + names));
    }
    auto shape = m.shape;
    shape.insert(shape.end(), f->shape.begin(), f->shape.end());
    auto meta = array_meta::contiguous_of(f->type, std::move(shape));
    const auto nbytes = meta.checked_nbytes();
    if (!nbytes || *nbytes > std::numeric_limits<std::size_t>::max())
        detail::fail<limit_error>("ndarray::field: a " + meta.describe() + " does not fit in memory");
    auto data = io::buffer::allocate(static_cast<std::size_t>(*nbytes));
    // The field of each element, in C order of the elements (a sub-array
    // field is C-contiguous inside its element, as in numpy).
    const auto field_bytes = static_cast<std::size_t>(f->nbytes());
    const std::size_t rank = m.shape.size();
    std::vector<std::uint64_t> index(rank, 0);
    std::uint64_t from = f->offset;
    std::byte* to = data.data();
    for (std::uint64_t i = 0, n = m.size(); i < n; ++i, to += field_bytes) {
        if (field_bytes) std::memcpy(to, st().data.data() + from, field_bytes);
        for (std::size_t axis = rank; axis-- > 0;) {
            from += static_cast<std::uint64_t>(m.strides[axis]);
            if (++index[axis] < m.shape[axis]) break;
            from -= index[axis] * static_cast<std::uint64_t>(m.strides[axis]);
            index[axis] = 0;
        }
    }
    return ndarray(std::move(meta), std::move(data));
}

ndarray ndarray::copy() const {
    auto data = io::buffer::allocate(st().data.size());
    if (st().data.size()) std::memcpy(data.data(), st().data.data(), st().data.size());
    return ndarray(st().meta, std::move(data));
}

ndarray ndarray::to_native() const {
    if (is_record(dtype())) {
        // A record's fields have the byte orders. Overlapping fields would
        // be swapped twice: such arrays (rare, and numpy refuses to save
        // them) stay as they are.
        const auto type = st().meta.element();
        if (!has_foreign_byte_order(type) || !no_overlapping_fields(type)) return *this;
        const ndarray owned = copy();
        const auto item = static_cast<std::size_t>(st().meta.itemsize());
        auto bytes = owned.st().data.bytes();
        for (std::size_t at = 0; item && at < bytes.size(); at += item) swap_to_native(bytes.subspan(at, item), type);
        auto meta = st().meta;
        meta.fields = with_native_byte_order(type).fields;
        return ndarray(std::move(meta), owned.st().data);
    }
    if (st().meta.order == native_byte_order) return *this;
    const ndarray owned = copy();
    swap_byte_order(owned.st().data.bytes(), dtype());
    array_meta meta = st().meta;
    meta.order = native_byte_order;
    return ndarray(std::move(meta), owned.st().data);
}

bool operator==(const ndarray& a, const ndarray& b) {
    if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
    const std::uint64_t n = a.size();
    if (is_record(a.dtype())) {
        // numpy's rule: the same field names in the same order, each field
        // equal; offsets, padding and byte orders may differ.
        const auto& fa = a.meta().fields;
        const auto& fb = b.meta().fields;
        if (fa.size() != fb.size()) return false;
        for (std::size_t i = 0; i < fa.size(); ++i)
            if (fa[i].name != fb[i].name || fa[i].shape != fb[i].shape || fa[i].type.dtype != fb[i].type.dtype) return false;
        if (n == 0) return true;
        for (const auto& f : fa)
            if (!(a.field(f.name) == b.field(f.name))) return false;
        return true;
    }
    if (n == 0) return true;
    // Identical bytes in the same layout and byte order are equal elements
    // (same bits are the same number, NaN included); differing bytes may
    // still be equal numbers (NaN payloads, non-canonical bools).
    const bool same_layout = a.meta().order == b.meta().order && a.layout() == b.layout() && a.meta().width == b.meta().width;
    if (same_layout && std::memcmp(a.bytes().data(), b.bytes().data(), a.bytes().size()) == 0) return true;
    const auto k = kind(a.dtype());
    if (same_layout && (k == dtype_kind::signed_int || k == dtype_kind::unsigned_int)) return false;

    // Walk b in a's memory order: an odometer over a's axes, fastest first.
    const array_meta& ma = a.meta();
    const array_meta& mb = b.meta();
    const std::size_t rank = ma.shape.size();
    const bool a_fortran = a.layout() == memory_order::fortran;
    std::vector<std::uint64_t> index(rank, 0);
    std::uint64_t offset_b = 0;
    const auto item = ma.itemsize();
    // Strings are equal when their values are (numpy: "ab" in a U2 array
    // equals "ab" in a U5 array); numbers when their scalars are.
    auto same_element = [&](std::uint64_t offset_a) {
        if (!has_width(ma.dtype)) return element_at(ma, a.bytes().data(), offset_a) == element_at(mb, b.bytes().data(), offset_b);
        return string_element_value(ma, a.bytes().subspan(offset_a, item)) ==
               string_element_value(mb, b.bytes().subspan(offset_b, mb.itemsize()));
    };
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!same_element(i * item)) return false;
        for (std::size_t step = 0; step < rank; ++step) {
            const std::size_t axis = a_fortran ? step : rank - 1 - step;
            offset_b += static_cast<std::uint64_t>(mb.strides[axis]);
            if (++index[axis] < ma.shape[axis]) break;
            offset_b -= index[axis] * static_cast<std::uint64_t>(mb.strides[axis]);
            index[axis] = 0;
        }
    }
    return true;
}

}  // namespace brine
