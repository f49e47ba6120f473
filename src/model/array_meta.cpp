// array_meta: sizes without overflow, numpy's contiguity rules, descriptions.
#include <brine/model/array_meta.hpp>


#include <limits>

namespace brine {

namespace {

constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();

std::optional<std::uint64_t> checked_product(const std::vector<std::uint64_t>& factors, std::uint64_t start) {
    // A zero anywhere makes the product zero, however large the rest.
    for (auto f : factors)
        if (f == 0) return 0;
    std::uint64_t p = start;
    for (auto f : factors)
        if (__builtin_mul_overflow(p, f, &p)) return std::nullopt;
    return p;
}

// Does `strides` describe a contiguous layout of `shape`, walking the axes
// from the fastest-varying one? numpy's rule: axes of length 1 constrain
// nothing; arrays without elements are contiguous.
template <class AxisOrder>
bool contiguous_in(const array_meta& m, AxisOrder axes_fastest_first) {
    if (m.strides.size() != m.shape.size() || !is_valid(m.dtype)) return false;
    for (auto n : m.shape)
        if (n == 0) return true;
    std::uint64_t expected = m.itemsize();  // wraps harmlessly for absurd shapes
    for (std::size_t k = 0; k < m.shape.size(); ++k) {
        const std::size_t axis = axes_fastest_first(k);
        if (m.shape[axis] != 1 && static_cast<std::uint64_t>(m.strides[axis]) != expected) return false;
        expected *= m.shape[axis];
    }
    return true;
}

}  // namespace

std::uint64_t array_meta::itemsize() const noexcept {
    return is_valid(dtype) ? brine::itemsize(dtype) * (is_sized(dtype) ? width : 1) : 0;
}

std::optional<std::uint64_t> array_meta::checked_size() const noexcept { return checked_product(shape, 1); }

std::optional<std::uint64_t> array_meta::checked_nbytes() const noexcept {
    if (!is_valid(dtype)) return std::nullopt;  // itemsize() is undefined for it
    return checked_product(shape, itemsize());
}

std::uint64_t array_meta::size() const noexcept { return checked_size().value_or(saturated); }
std::uint64_t array_meta::nbytes() const noexcept { return checked_nbytes().value_or(saturated); }

bool array_meta::is_c_contiguous() const noexcept {
    const std::size_t n = shape.size();
    return contiguous_in(*this, [n](std::size_t k) { return n - 1 - k; });
}

bool array_meta::is_f_contiguous() const noexcept {
    return contiguous_in(*this, [](std::size_t k) { return k; });
}

memory_order array_meta::layout() const noexcept {
    return !is_c_contiguous() && is_f_contiguous() ? memory_order::fortran : memory_order::c;
}

std::string array_meta::describe() const {
    std::string s;
    if (order != native_byte_order) s += order == byte_order::big ? "big-endian " : "little-endian ";
    s += dtype_text();
    return s + " array of shape " + shape_text(shape);
}

std::string array_meta::dtype_text() const {
    if (is_valid(dtype) && is_record(dtype)) return element().text();
    std::string s(name(dtype));
    if (is_valid(dtype) && has_time_unit(dtype)) s += "[" + unit_text(unit) + "]";
    if (is_valid(dtype) && has_width(dtype)) {
        s += '[';  // not "[" + ...: gcc 12 warns falsely (-Wrestrict) on that
        s += std::to_string(width);
        s += ']';
    }
    return s;
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::vector<std::int64_t> array_meta::contiguous_strides(const std::vector<std::uint64_t>& shape,
                                                          std::size_t item, memory_order o) {
    const std::size_t n = shape.size();
    std::vector<std::int64_t> strides(n);
    std::uint64_t step = item;  // unsigned: wraps rather than overflowing for absurd shapes
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t axis = o == memory_order::c ? n - 1 - k : k;
        strides[axis] = static_cast<std::int64_t>(step);
        step *= shape[axis] == 0 ? 1 : shape[axis];
    }
    return strides;
}

array_meta array_meta::contiguous(brine::dtype t, std::vector<std::uint64_t> shape, memory_order o) {
    array_meta m;
    m.dtype = t;
    m.order = native_byte_order;
    m.strides = contiguous_strides(shape, brine::itemsize(t), o);
    m.shape = std::move(shape);
    return m;
}

array_meta array_meta::contiguous_strings(brine::dtype t, std::uint32_t width, std::vector<std::uint64_t> shape, memory_order o) {
    array_meta m;
    m.dtype = t;
    m.order = native_byte_order;
    m.width = width;
    m.strides = contiguous_strides(shape, m.itemsize(), o);
    m.shape = std::move(shape);
    return m;
}

element_type array_meta::element() const { return {dtype, order, unit, width, fields}; }

array_meta array_meta::contiguous_of(element_type type, std::vector<std::uint64_t> shape, memory_order o) {
    array_meta m;
    m.dtype = type.dtype;
    m.order = type.order;
    m.unit = type.unit;
    m.width = type.width;
    m.fields = std::move(type.fields);
    m.strides = contiguous_strides(shape, m.itemsize(), o);
    m.shape = std::move(shape);
    return m;
}

}  // namespace brine
