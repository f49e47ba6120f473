// xtensor: xt::xarray, xt::xtensor and xt::xtensor_fixed of any brine element
// (bool, integers, float, double, std::complex), row- or column-major, are one
// array record in the container's own layout (numpy sees a C- or F-ordered
// ndarray). Any other xtensor expression (a strided view, a+b, ...) can be
// saved too: it is evaluated in row-major order through a bounded buffer,
// never into a whole-array temporary. Views cannot be loaded (load into a
// container); their serializer has save() only.
//
// Loading:
//   - the stored dtype must convert losslessly to the element type
//     (brine/model/scalar.hpp); xtensor<T, N> needs rank N, xtensor_fixed its shape;
//   - same dtype and same layout: the payload is read straight into the
//     container's storage, no temporary (when the reader vouches for the
//     size: array_size_trusted(); otherwise the payload is first taken as a
//     buffer that grows as data arrives, and copied once into the container,
//     each copied piece of the buffer freed at once, so the array is never
//     held twice);
//   - another dtype: converted through a bounded buffer;
//   - another layout (an F-ordered file into a row-major container): each
//     element is put at its logical place as it arrives, O(n), no temporary;
//   - xt::xarray<T, xt::layout_type::dynamic> takes the stored layout;
//   - big-endian data is swapped.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/arithmetic.hpp>
#include <brine/types/common.hpp>
#include <brine/types/elements.hpp>
#include <brine/types/string_elements.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xexpression.hpp>
#include <xtensor/xfixed.hpp>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace brine::detail {

template <class E>
using xt_element_t = std::remove_cv_t<typename E::value_type>;

// Any xtensor expression of brine elements.
template <class E>
concept xtensor_expression = xt::is_xexpression<E>::value && element<xt_element_t<E>>;

// Containers (and adaptors) whose storage holds size() elements contiguously
// in the order layout() says, when that is row- or column-major.
template <class E>
concept xtensor_container = xtensor_expression<E> && std::derived_from<E, xt::xcontainer<E>>;

// The container templates brine can load into (they own and size their storage).
template <class E> inline constexpr bool is_loadable_xtensor = false;
template <class EC, xt::layout_type L, class SC, class Tag>
inline constexpr bool is_loadable_xtensor<xt::xarray_container<EC, L, SC, Tag>> = true;
template <class EC, std::size_t N, xt::layout_type L, class Tag>
inline constexpr bool is_loadable_xtensor<xt::xtensor_container<EC, N, L, Tag>> = true;
template <class ET, class S, xt::layout_type L, bool SH, class Tag>
inline constexpr bool is_loadable_xtensor<xt::xfixed_container<ET, S, L, SH, Tag>> = true;

inline std::optional<memory_order> to_memory_order(xt::layout_type l) noexcept {
    if (l == xt::layout_type::row_major) return memory_order::c;
    if (l == xt::layout_type::column_major) return memory_order::fortran;
    return std::nullopt;
}

// ", xt::layout_type::column_major" when a template's layout is not the default.
inline std::string layout_argument(xt::layout_type l) {
    if (l == XTENSOR_DEFAULT_LAYOUT) return "";
    switch (l) {
    case xt::layout_type::row_major: return ", xt::layout_type::row_major";
    case xt::layout_type::column_major: return ", xt::layout_type::column_major";
    case xt::layout_type::dynamic: return ", xt::layout_type::dynamic";
    default: return ", xt::layout_type::any";
    }
}

template <class E>
void save_xtensor(format::writer& w, const E& e) {
    using T = xt_element_t<E>;
    std::vector<std::uint64_t> shape(e.shape().begin(), e.shape().end());
    if constexpr (xtensor_container<E>) {
        if (const auto order = to_memory_order(e.layout())) {
            w.begin_array(array_meta::contiguous(dtype_of<T>, std::move(shape), *order));
            if (e.size() != 0) w.write_array_data(std::as_bytes(std::span<const T>(e.data(), e.size())));
            w.end_array();
            return;
        }
    }
    w.begin_array(array_meta::contiguous(dtype_of<T>, std::move(shape)));
    write_elements_chunked<T>(w, e.template begin<xt::layout_type::row_major>(), e.size());
    w.end_array();
}

// Walks the multi-indices of `shape` in `walk` order (the order elements are
// stored in the file) and tracks the offset of each in a destination that is
// contiguous in `target` order. Mostly one addition per element.
class layout_walker {
public:
    layout_walker(const std::vector<std::uint64_t>& shape, memory_order walk, memory_order target)
        : extent_(shape.size()), stride_(shape.size()), index_(shape.size(), 0) {
        // Element strides of the destination, per axis.
        std::vector<std::size_t> axis_stride(shape.size());
        std::size_t s = 1;
        for (std::size_t k = 0; k < shape.size(); ++k) {
            const std::size_t axis = target == memory_order::fortran ? k : shape.size() - 1 - k;
            axis_stride[axis] = s;
            s *= static_cast<std::size_t>(shape[axis]);
        }
        // Reordered so that position 0 is the axis that varies fastest in the walk.
        for (std::size_t k = 0; k < shape.size(); ++k) {
            const std::size_t axis = walk == memory_order::fortran ? k : shape.size() - 1 - k;
            extent_[k] = static_cast<std::size_t>(shape[axis]);
            stride_[k] = axis_stride[axis];
        }
    }

    std::size_t offset() const noexcept { return offset_; }

    void next() noexcept {
        for (std::size_t k = 0; k < index_.size(); ++k) {
            offset_ += stride_[k];
            if (++index_[k] < extent_[k]) return;
            offset_ -= index_[k] * stride_[k];
            index_[k] = 0;
        }
    }

private:
    std::vector<std::size_t> extent_, stride_, index_;
    std::size_t offset_ = 0;
};

// Takes chunks of stored elements (native byte order, stored order) and puts
// them, converted, where they belong in `dst`.
template <element T>
class element_placer {
public:
    element_placer(std::span<T> dst, const array_meta& m, memory_order target, bool same_order)
        : dst_(dst), from_(m.dtype), same_order_(same_order),
          walker_(same_order ? std::vector<std::uint64_t>{} : m.shape,
                  m.is_c_contiguous() ? memory_order::c : memory_order::fortran, target) {}

    void operator()(std::span<const std::byte> chunk) {
        const std::size_t n = chunk.size() / itemsize(from_);
        if (same_order_) {
            convert_elements(from_, chunk.data(), dst_.data() + done_, n);
        } else {
            with_stored_type(from_, [&]<class S>() {
                for (std::size_t i = 0; i < n; ++i, walker_.next()) {
                    S s;
                    std::memcpy(&s, chunk.data() + i * sizeof(S), sizeof(S));
                    dst_[walker_.offset()] = convert_one<T>(s);
                }
            });
        }
        done_ += n;
    }

private:
    std::span<T> dst_;
    dtype from_;
    bool same_order_;
    layout_walker walker_;
    std::size_t done_ = 0;
};

template <class E> struct fixed_extents;
template <std::size_t... X> struct fixed_extents<xt::fixed_shape<X...>> {
    static constexpr std::size_t rank = sizeof...(X);
    static bool equal(const std::vector<std::uint64_t>& shape) {
        const std::uint64_t expected[] = {X..., 0};
        return shape.size() == rank && std::equal(shape.begin(), shape.end(), expected);
    }
    static std::string text() {
        std::string out;
        ((out += (out.empty() ? "" : ", ") + std::to_string(X)), ...);
        return "xt::xshape<" + out + ">";
    }
};

// xt::xtensor_fixed: the shape is part of the type.
template <class Container>
concept fixed_shape_container = requires { fixed_extents<typename Container::shape_type>::rank; };

template <class Container>
bool shape_fits(const std::vector<std::uint64_t>& shape) {
    if constexpr (fixed_shape_container<Container>)
        return fixed_extents<typename Container::shape_type>::equal(shape);
    else if constexpr (requires { std::tuple_size<typename Container::shape_type>::value; })
        return shape.size() == std::tuple_size_v<typename Container::shape_type>;
    else
        return true;
}

// Sizes the container for the stored shape; a dynamic-layout container takes
// the stored layout so that the payload can go straight in.
template <class Container>
void resize_for(Container& c, const array_meta& m) {
    if constexpr (!fixed_shape_container<Container>) {
        typename Container::shape_type shape{};
        if constexpr (requires { shape.resize(std::size_t{}); }) shape.resize(m.shape.size());
        std::copy(m.shape.begin(), m.shape.end(), shape.begin());
        constexpr xt::layout_type static_layout = Container::static_layout;
        const xt::layout_type stored = m.is_c_contiguous() ? xt::layout_type::row_major : xt::layout_type::column_major;
        c.resize(std::move(shape), static_layout == xt::layout_type::dynamic ? stored : static_layout);
    }
}

template <class Container>
struct xtensor_serializer {
    using element_type = xt_element_t<Container>;

    static void save(format::writer& w, const Container& c) { save_xtensor(w, c); }

    struct destination_t {
        std::span<element_type> elements;
        memory_order order;
        bool same_order;  // as the stored payload
    };
    static destination_t destination(Container& c, const array_meta& m) {
        const memory_order order = to_memory_order(c.layout()).value_or(memory_order::c);
        return {std::span<element_type>(c.data(), c.size()), order,
                order == memory_order::c ? m.is_c_contiguous() : m.is_f_contiguous()};
    }

    static void load(format::reader& r, Container& c) {
        expect<Container>(r, node_kind::array);
        const array_meta& m = r.begin_array();
        if (!converts_losslessly(m.dtype, dtype_of<element_type>) || !shape_fits<Container>(m.shape))
            mismatch<Container>(r, m.describe());

        if (r.array_size_trusted()) {
            resize_for(c, m);
            const auto [dst, target, same_order] = destination(c, m);
            if (same_order) read_elements(r, m, dst);  // straight into the storage
            else for_each_payload_chunk(r, m, element_placer<element_type>(dst, m, target, false));
        } else {
            // Nothing is allocated on the file's word: the payload arrives first.
            io::buffer payload = r.take_array_data(false);
            resize_for(c, m);
            const auto [dst, target, same_order] = destination(c, m);
            for_each_payload_chunk(payload, m, element_placer<element_type>(dst, m, target, same_order));
        }
        r.end_array();
    }
};

// xt::xarray<std::string> and xt::xtensor<std::string, N>: a str array
// (numpy 'U<n>', as wide as the longest element). Loading also takes a
// bytes array ('S<n>'), each element its raw bytes.
template <class Container>
struct xtensor_string_serializer {
    static void save(format::writer& w, const Container& c) {
        const auto order = to_memory_order(c.layout()).value_or(memory_order::c);
        const auto m = string_array_meta(dtype::str, std::span<const std::string>(c.data(), c.size()),
                                         std::vector<std::uint64_t>(c.shape().begin(), c.shape().end()), order);
        w.begin_array(m);
        write_string_elements(w, m, c.storage().begin(), c.size());
        w.end_array();
    }

    static void load(format::reader& r, Container& c) {
        expect<Container>(r, node_kind::array);
        const array_meta& m = r.begin_array();
        if (!has_width(m.dtype) || !shape_fits<Container>(m.shape)) mismatch<Container>(r, m.describe());
        // The strings first, growing as their bytes arrive: the container is
        // sized only once the file has shown that many elements.
        std::vector<std::string> stored;
        reserve_at_most(r, stored, m.size());
        read_string_elements(r, m, [&](std::string&& s) { stored.push_back(std::move(s)); });
        resize_for(c, m);
        const memory_order target = to_memory_order(c.layout()).value_or(memory_order::c);
        layout_walker at(m.shape, m.layout(), target);
        for (auto& s : stored) {
            c.storage()[at.offset()] = std::move(s);
            at.next();
        }
        r.end_array();
    }
};

}  // namespace brine::detail

namespace brine {

template <class EC, xt::layout_type L, class SC, class Tag>
    requires std::same_as<typename EC::value_type, std::string>
struct serializer<xt::xarray_container<EC, L, SC, Tag>>
    : detail::xtensor_string_serializer<xt::xarray_container<EC, L, SC, Tag>> {
    static std::string type_name() { return "xt::xarray<std::string" + detail::layout_argument(L) + ">"; }
};

template <class EC, std::size_t N, xt::layout_type L, class Tag>
    requires std::same_as<typename EC::value_type, std::string>
struct serializer<xt::xtensor_container<EC, N, L, Tag>>
    : detail::xtensor_string_serializer<xt::xtensor_container<EC, N, L, Tag>> {
    static std::string type_name() {
        return "xt::xtensor<std::string, " + std::to_string(N) + detail::layout_argument(L) + ">";
    }
};

template <class EC, xt::layout_type L, class SC, class Tag>
    requires element<typename EC::value_type>
struct serializer<xt::xarray_container<EC, L, SC, Tag>>
    : detail::xtensor_serializer<xt::xarray_container<EC, L, SC, Tag>> {
    static std::string type_name() {
        return "xt::xarray<" + serializer<typename EC::value_type>::type_name() + detail::layout_argument(L) + ">";
    }
};

template <class EC, std::size_t N, xt::layout_type L, class Tag>
    requires element<typename EC::value_type>
struct serializer<xt::xtensor_container<EC, N, L, Tag>>
    : detail::xtensor_serializer<xt::xtensor_container<EC, N, L, Tag>> {
    static std::string type_name() {
        return "xt::xtensor<" + serializer<typename EC::value_type>::type_name() + ", " + std::to_string(N) +
               detail::layout_argument(L) + ">";
    }
};

template <class ET, class S, xt::layout_type L, bool SH, class Tag>
    requires element<ET>
struct serializer<xt::xfixed_container<ET, S, L, SH, Tag>>
    : detail::xtensor_serializer<xt::xfixed_container<ET, S, L, SH, Tag>> {
    static std::string type_name() {
        return "xt::xtensor_fixed<" + serializer<ET>::type_name() + ", " + detail::fixed_extents<S>::text() +
               detail::layout_argument(L) + ">";
    }
};

// Views and expressions: save only (brine::dump accepts them; load into a container).
template <class E>
    requires detail::xtensor_expression<E> && (!detail::is_loadable_xtensor<E>)
struct serializer<E> {
    static void save(format::writer& w, const E& e) { detail::save_xtensor(w, e); }
    static std::string type_name() {
        return "xtensor expression of " + serializer<detail::xt_element_t<E>>::type_name();
    }
};

}  // namespace brine
