// ndarray: validation of metadata against bytes, element access in any byte
// order, logical comparison across layouts and byte orders.
#include <brine/value/ndarray.hpp>

#include "byte_swap.hpp"
#include "value_error.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>

namespace brine {

namespace {

// Alignment the element type needs: complex numbers align as their parts.
std::size_t natural_alignment(dtype t) {
    return kind(t) == dtype_kind::complex ? itemsize(t) / 2 : itemsize(t);
}

// The element stored at byte `offset`, converted from the array's byte order.
scalar element_at(const array_meta& m, const std::byte* data, std::uint64_t offset) {
    std::byte little[16];
    std::memcpy(little, data + offset, itemsize(m.dtype));
    if (m.order != byte_order::little) swap_byte_order({little, itemsize(m.dtype)}, m.dtype);
    return scalar::from_le_bytes(m.dtype, little);
}

}  // namespace

ndarray::ndarray() : meta_(array_meta::contiguous(dtype::float64, {0})) {}

ndarray::ndarray(array_meta meta, io::buffer data) : meta_(std::move(meta)), data_(std::move(data)) {
    if (!is_valid(meta_.dtype)) detail::fail("ndarray: invalid dtype code " + std::to_string(int(meta_.dtype)));
    if (meta_.shape.size() > max_rank)
        detail::fail("ndarray: rank " + std::to_string(meta_.shape.size()) + " exceeds " + std::to_string(max_rank));
    // Empty strides are a shorthand for C order.
    if (meta_.strides.empty() && !meta_.shape.empty())
        meta_.strides = array_meta::contiguous_strides(meta_.shape, itemsize(meta_.dtype), memory_order::c);
    if (!meta_.is_c_contiguous() && !meta_.is_f_contiguous())
        detail::fail("ndarray: the strides of a " + meta_.describe() + " are neither C- nor F-contiguous");
    const auto nbytes = meta_.checked_nbytes();
    if (!nbytes) detail::fail("ndarray: " + meta_.describe() + " has more bytes than 2^64");
    if (*nbytes != data_.size())
        detail::fail("ndarray: a " + meta_.describe() + " needs " + std::to_string(*nbytes) + " bytes, the buffer has " +
                     std::to_string(data_.size()));
    if (*nbytes != 0 && data_.data() == nullptr) detail::fail("ndarray: null buffer for a " + meta_.describe());
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

void ndarray::check_count(std::size_t n) const {
    if (n != size())
        detail::fail("ndarray::copy_of: " + std::to_string(n) + " elements given for shape " + shape_text(shape()) +
                     ", which holds " + std::to_string(size()));
}

void ndarray::check_view(brine::dtype t, bool write) const {
    if (t != dtype())
        detail::fail<type_error>("requested " + std::string(name(t)) + " elements of a " + meta_.describe());
    if (meta_.order != native_byte_order)
        detail::fail<type_error>("the " + meta_.describe() + " is not in native byte order; use to_native()");
    if (write && !writable())
        detail::fail<type_error>("the " + meta_.describe() +
                                 " is read-only (mapped with mmap_mode::read_only); use copy() for a writable copy");
    if (reinterpret_cast<std::uintptr_t>(data_.data()) % natural_alignment(t) != 0)
        detail::fail<type_error>("the data of the " + meta_.describe() + " is misaligned for " + std::string(name(t)) +
                                 "; use copy()");
}

scalar ndarray::at(std::uint64_t i) const {
    if (i >= size()) throw std::out_of_range("ndarray::at: element " + std::to_string(i) + " of " + std::to_string(size()));
    return element_at(meta_, data_.data(), i * itemsize(dtype()));
}

scalar ndarray::at(std::span<const std::uint64_t> index) const {
    if (index.size() != ndim())
        throw std::out_of_range("ndarray::at: " + std::to_string(index.size()) + " indices for a " + meta_.describe());
    std::uint64_t offset = 0;
    for (std::size_t k = 0; k < index.size(); ++k) {
        if (index[k] >= meta_.shape[k])
            throw std::out_of_range("ndarray::at: index " + std::to_string(index[k]) + " on axis " + std::to_string(k) +
                                    " of a " + meta_.describe());
        offset += index[k] * static_cast<std::uint64_t>(meta_.strides[k]);
    }
    return element_at(meta_, data_.data(), offset);
}

ndarray ndarray::copy() const {
    auto data = io::buffer::allocate(data_.size());
    if (data_.size()) std::memcpy(data.data(), data_.data(), data_.size());
    return ndarray(meta_, std::move(data));
}

ndarray ndarray::to_native() const {
    if (meta_.order == native_byte_order) return *this;
    ndarray native = copy();
    swap_byte_order(native.data_.bytes(), dtype());
    native.meta_.order = native_byte_order;
    return native;
}

bool operator==(const ndarray& a, const ndarray& b) {
    if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
    const std::uint64_t n = a.size();
    if (n == 0) return true;
    // Identical bytes in the same layout and byte order are equal elements
    // (same bits are the same number, NaN included); differing bytes may
    // still be equal numbers (NaN payloads, non-canonical bools).
    const bool same_layout = a.meta().order == b.meta().order && a.layout() == b.layout();
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
    const std::size_t item = itemsize(a.dtype());
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!(element_at(ma, a.bytes().data(), i * item) == element_at(mb, b.bytes().data(), offset_b))) return false;
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
