// brine::array<T> (any rank) and brine::tensor<T, N> (rank N): typed n-d
// arrays whose elements live in an io::buffer, owned heap memory or a window
// of a file mapping, and which are xtensor expressions themselves:
//
//     auto w = brine::load<brine::array<const float>>("model.brine", {.mmap = brine::mmap_mode::read_only});
//     float total = xt::sum(w)();                  // reads the mapping in place
//     xt::xarray<float> doubled = 2 * w;           // new memory, as with any expression
//
// Why a container of its own: xtensor recognises an expression by the CRTP
// parameter of its xexpression base, so a class derived from xarray_adaptor is
// *not* an expression to xt::sum or operator+ (it would be taken for a
// scalar). brine::basic_array is therefore an xstrided_container +
// xcontainer_semantic over an xbuffer_adaptor with shared ownership, exactly
// as xarray_adaptor is, with layout_type::dynamic so that F-order data is
// used in place.
//
// Semantics, in short (docs/value.md has the details):
// - Copies share the elements, like copies of a std::shared_ptr or Python
//   names for one numpy array; `a = b` between arrays rebinds `a`. copy() makes
//   an independent, owned, writable copy.
// - `a = expression`, `a += ...`, `a(i, j) = x`, xt::noalias(a) = ... and
//   assignments to views of `a` write into a's memory (into the file, for a
//   read_write mapping), in a's layout. The shape cannot change (a mapping
//   cannot grow): assigning an expression of another shape throws
//   brine::error, except to an array without elements, which then takes
//   fresh owned memory holding the result (so `brine::array<double> a; a = e;`
//   works).
// - Read-only memory is a matter of type: brine::array<const T> (and
//   tensor<const T, N>) never allows writes, at compile time. A mutable
//   brine::array<T> over memory that is not writable (a read_only mapping)
//   cannot be made: from(), the buffer constructor and loading throw
//   brine::type_error up front, naming array<const T> as the way to map
//   read-only. So a write can never land in a read-only page.
// - The element type and native byte order are checked once, when an array is
//   made from an ndarray or a buffer; after that access is unchecked, as in
//   any xtensor container.
#pragma once

#include <brine/model/dtype.hpp>
#include <brine/error.hpp>
#include <brine/model/array_meta.hpp>
#include <brine/io/buffer.hpp>
#include <brine/value/ndarray.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xbuffer_adaptor.hpp>
#include <xtensor/xcontainer.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xsemantic.hpp>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace brine {

// The rank parameter of brine::array: any rank, chosen at run time.
inline constexpr std::size_t dynamic_rank = std::numeric_limits<std::size_t>::max();

template <class T, std::size_t N> class basic_array;

template <class T> using array = basic_array<T, dynamic_rank>;
template <class T, std::size_t N> using tensor = basic_array<T, N>;

namespace detail {

template <class T>
using array_storage = xt::xbuffer_adaptor<T*, xt::smart_ownership, std::shared_ptr<const void>>;

template <std::size_t N> struct array_shape { using type = std::array<std::size_t, N>; };
template <> struct array_shape<dynamic_rank> { using type = xt::dynamic_shape<std::size_t>; };

// What xtensor evaluates expressions into before assigning them to an array.
template <class T, std::size_t N> struct array_temporary { using type = xt::xtensor<std::remove_const_t<T>, N>; };
template <class T> struct array_temporary<T, dynamic_rank> { using type = xt::xarray<std::remove_const_t<T>>; };

inline memory_order memory_order_of(xt::layout_type l) noexcept {
    return l == xt::layout_type::column_major ? memory_order::fortran : memory_order::c;
}
inline xt::layout_type layout_type_of(memory_order o) noexcept {
    return o == memory_order::fortran ? xt::layout_type::column_major : xt::layout_type::row_major;
}

}  // namespace detail

}  // namespace brine

namespace xt {

template <class T, std::size_t N>
struct xcontainer_inner_types<brine::basic_array<T, N>> {
    using storage_type = brine::detail::array_storage<T>;
    using reference = inner_reference_t<storage_type>;
    using const_reference = typename storage_type::const_reference;
    using size_type = typename storage_type::size_type;
    using shape_type = typename brine::detail::array_shape<N>::type;
    using strides_type = get_strides_t<shape_type>;
    using backstrides_type = get_strides_t<shape_type>;
    using inner_shape_type = shape_type;
    using inner_strides_type = strides_type;
    using inner_backstrides_type = backstrides_type;
    using temporary_type = typename brine::detail::array_temporary<T, N>::type;
    static constexpr layout_type layout = layout_type::dynamic;
};

template <class T, std::size_t N>
struct xiterable_inner_types<brine::basic_array<T, N>> : xcontainer_iterable_types<brine::basic_array<T, N>> {};

}  // namespace xt

namespace brine {

template <class T, std::size_t N>
class basic_array : public xt::xstrided_container<basic_array<T, N>>,
                    public xt::xcontainer_semantic<basic_array<T, N>> {
    static_assert(element<std::remove_const_t<T>>, "brine arrays hold the element types of dtype.hpp");
    static_assert(N == dynamic_rank || N <= max_rank);

public:
    using self_type = basic_array<T, N>;
    using base_type = xt::xstrided_container<self_type>;
    using semantic_base = xt::xcontainer_semantic<self_type>;
    using storage_type = typename base_type::storage_type;
    using value_type = typename base_type::value_type;  // T without const
    using shape_type = typename base_type::shape_type;
    using strides_type = typename base_type::strides_type;
    using temporary_type = typename semantic_base::temporary_type;
    using expression_tag = xt::xtensor_expression_tag;
    static constexpr std::size_t rank = N;  // dynamic_rank == SIZE_MAX, as xarray's
    static constexpr bool read_only = std::is_const_v<T>;
    static constexpr brine::dtype element_dtype = dtype_of<value_type>;

    // Empty: shape (0,) for array, all-zero shape for tensor; a tensor<T, 0>
    // holds one zero.
    basic_array() : basic_array(empty_storage(), empty_shape(), memory_order::c) {}

    // Views `storage` (which it keeps alive) as an array of `shape`, laid out
    // contiguously in `order`. Throws brine::type_error when the buffer's size
    // does not match, its data is misaligned for T, or T is mutable and the
    // buffer is not writable.
    basic_array(io::buffer storage, const shape_type& shape, memory_order order = memory_order::c)
        : base_type(), storage_(element_pointer(storage), element_count(shape), storage.owner()),
          buffer_(std::move(storage)) {
        check_buffer(shape);
        base_type::resize(shape, detail::layout_type_of(order));
    }

    // Evaluates `e` into fresh owned memory (64-byte aligned), in F order when
    // the expression is column-major, else C order.
    template <class E>
    basic_array(const xt::xexpression<E>& e) : basic_array(evaluate(e.derived_cast())) {}

    // array<const T> from array<T>: shares the elements.
    template <class U>
        requires(std::same_as<const U, T> && !std::same_as<U, T>)
    basic_array(const basic_array<U, N>& other)
        : basic_array(other.buffer(), other.shape(), other.memory_layout()) {}

    basic_array(const basic_array&) = default;
    basic_array(basic_array&&) = default;
    basic_array& operator=(const basic_array&) = default;  // rebinds: shares other's elements
    basic_array& operator=(basic_array&&) = default;
    ~basic_array() = default;

    // Writes the values of `e` into this array's memory (see the top of the file).
    template <class E>
    basic_array& operator=(const xt::xexpression<E>& e) {
        return semantic_base::operator=(e);
    }
    // Where xtensor delivers evaluated expressions (operator= and compound
    // assignments that need a temporary).
    basic_array& operator=(temporary_type&& evaluated)
        requires(!read_only)
    {
        if (this->size() == 0 && !same_shape(evaluated.shape())) return *this = basic_array(evaluated);
        xt::noalias(*this) = evaluated;  // element by element, in this array's layout
        return *this;
    }

    // The storage never grows: xtensor's assignment calls resize(), which may
    // only confirm the current shape. (Hides xstrided_container::resize, which
    // would change the shape before finding the storage cannot follow.)
    template <class S>
    void resize(S&& shape, bool /*force*/ = false) {
        if (!same_shape(shape))
            throw brine::error(location{"<value>", std::nullopt},
                               type_name() + " of shape " + shape_text(this->shape()) +
                                   " cannot take an expression of shape " + shape_text(shape) +
                                   "; assign to a new array instead");
    }

    // Shares the elements of `a`. Throws brine::type_error when the dtype is
    // not T's, the byte order is not native, the rank is not N, the data is
    // misaligned, or T is mutable and `a` is read-only.
    static basic_array from(const ndarray& a) { return from(a.meta(), a.buffer()); }
    // The same for elements described by `meta` in `data` (nbytes long, and
    // C- or F-contiguous as meta says): a frozen map's arrays, viewed in place.
    static basic_array from(const array_meta& meta, io::buffer data) {
        if (auto why = incompatibility(meta, data.writable()))
            throw type_error(location{"<value>", std::nullopt},
                             "stored " + meta.describe() + ", requested " + type_name() + ": " + *why);
        shape_type shape = make_shape(meta.shape);
        return basic_array(std::move(data), shape, meta.layout());
    }

    // Why an array with this metadata cannot be viewed as this type without a
    // copy, or nullopt if it can. Alignment is checked on the data itself.
    static std::optional<std::string> incompatibility(const array_meta& m, bool writable) {
        if (m.dtype != element_dtype) return "the element types differ";
        if (m.order != native_byte_order) return "the data is not in native byte order";
        if (N != dynamic_rank && m.shape.size() != N) return "the ranks differ";
        if (!read_only && !writable)
            return "the data is read-only, being mapped with mmap_mode::read_only; request " + const_type_name() +
                   " to map it, or use a writable mmap_mode";
        return std::nullopt;
    }

    // A view of the same elements as a brine::ndarray (no copy).
    ndarray to_ndarray() const {
        std::vector<std::uint64_t> shape(this->shape().begin(), this->shape().end());
        return ndarray(array_meta::contiguous(element_dtype, std::move(shape), memory_layout()), buffer_);
    }

    // An independent copy in owned, writable memory, in the same layout.
    basic_array<value_type, N> copy() const {
        return basic_array<value_type, N>(static_cast<const xt::xexpression<self_type>&>(*this));
    }

    const io::buffer& buffer() const noexcept { return buffer_; }
    bool is_mapped() const noexcept { return buffer_.mapped(); }
    bool is_writable() const noexcept { return !read_only && buffer_.writable(); }
    memory_order memory_layout() const noexcept { return detail::memory_order_of(this->layout()); }

    // "brine::array<float64>", "brine::tensor<const int32, 2>": for messages.
    static std::string type_name() {
        return std::string(N == dynamic_rank ? "brine::array<" : "brine::tensor<") + (read_only ? "const " : "") +
               std::string(name(element_dtype)) + (N == dynamic_rank ? "" : ", " + std::to_string(N)) + ">";
    }

private:
    friend class xt::xcontainer<self_type>;
    storage_type& storage_impl() noexcept { return storage_; }
    const storage_type& storage_impl() const noexcept { return storage_; }

    static std::string const_type_name() { return basic_array<const value_type, N>::type_name(); }

    template <class S>
    static std::string shape_text(const S& shape) {
        return brine::shape_text(std::vector<std::uint64_t>(std::begin(shape), std::end(shape)));
    }

    template <class S>
    bool same_shape(const S& shape) const {
        return std::size(shape) == this->shape().size() &&
               std::equal(std::begin(shape), std::end(shape), this->shape().begin());
    }

    static std::size_t element_count(const shape_type& shape) {
        std::size_t n = 1;
        for (auto d : shape)
            if (__builtin_mul_overflow(n, d, &n)) return std::numeric_limits<std::size_t>::max();
        return n;
    }

    static T* element_pointer(const io::buffer& b) noexcept { return reinterpret_cast<T*>(b.data()); }

    void check_buffer(const shape_type& shape) const {
        const std::size_t count = element_count(shape);
        std::size_t bytes = 0;
        std::string why;
        if (__builtin_mul_overflow(count, sizeof(value_type), &bytes) || bytes != buffer_.size())
            why = "a buffer of " + std::to_string(buffer_.size()) + " bytes cannot hold shape " + shape_text(shape);
        else if (reinterpret_cast<std::uintptr_t>(buffer_.data()) % alignof(value_type) != 0)
            why = "the data is misaligned";
        else if (!read_only && !buffer_.writable())
            why = "the buffer is read-only; use " + const_type_name();
        if (!why.empty()) throw type_error(location{"<value>", std::nullopt}, type_name() + ": " + why);
    }

    template <class Sequence>
    static shape_type make_shape(const Sequence& dims) {
        shape_type shape{};
        if constexpr (N == dynamic_rank) shape.resize(std::size(dims));
        else if (std::size(dims) != N)
            throw type_error(location{"<value>", std::nullopt},
                             type_name() + " cannot hold an expression of rank " + std::to_string(std::size(dims)));
        std::copy(std::begin(dims), std::end(dims), shape.begin());
        return shape;
    }

    static shape_type empty_shape() {
        shape_type shape{};
        if constexpr (N == dynamic_rank) shape = {0};
        return shape;  // all zeros for N >= 1; () for N == 0
    }

    static io::buffer empty_storage() {
        if constexpr (N != 0) {
            return io::buffer();
        } else {
            auto b = io::buffer::allocate(sizeof(value_type));  // the single element of a 0-d tensor
            new (b.data()) value_type{};
            return b;
        }
    }

    template <class E>
    static basic_array evaluate(const E& e) {
        shape_type shape = make_shape(e.shape());
        memory_order order = memory_order::c;
        if constexpr (requires { e.layout(); })
            order = detail::memory_order_of(e.layout());
        basic_array<value_type, N> owned(io::buffer::allocate(element_count(shape) * sizeof(value_type)), shape, order);
        xt::noalias(owned) = e;
        if constexpr (read_only) return basic_array(owned);
        else return owned;
    }

    storage_type storage_;
    io::buffer buffer_;  // keeps the flags (writable, mapped) and the owner for to_ndarray()
};

}  // namespace brine
