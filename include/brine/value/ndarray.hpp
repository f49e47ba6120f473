// brine::ndarray: an n-d array of any dtype, held by brine::value. Its bytes
// are owned heap memory or a window of a file mapping (io::buffer); copies of
// an ndarray share the bytes. The typed, xtensor-compatible view is
// brine::array<T> (value/array.hpp).
#pragma once

#include <brine/error.hpp>
#include <brine/model/array_meta.hpp>
#include <brine/io/buffer.hpp>
#include <brine/model/scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine {

class ndarray {
public:
    ndarray() noexcept = default;  // float64, shape (0,)
    // `data.size()` must equal meta.nbytes(), and the strides must be C- or
    // F-contiguous (empty strides mean C order); throws brine::error otherwise.
    ndarray(array_meta meta, io::buffer data);
    // Zero-filled, native byte order, contiguous in `order`.
    static ndarray zeros(brine::dtype t, std::vector<std::uint64_t> shape, memory_order order = memory_order::c);
    // A copy of `elements` (given in `order`) as an array of `shape`.
    template <element T>
    static ndarray copy_of(std::span<const T> elements, std::vector<std::uint64_t> shape,
                           memory_order order = memory_order::c) {
        auto a = zeros(dtype_of<T>, std::move(shape), order);
        a.check_count(elements.size());
        if (!elements.empty()) std::memcpy(a.st().data.data(), elements.data(), elements.size_bytes());
        return a;
    }

    // A bytes or str array of `elements` (given in `order`, UTF-8 for str),
    // as wide as its longest element (at least 1), in byte order `bytes`.
    // Throws brine::error when str text is not UTF-8.
    static ndarray from_strings(brine::dtype t, std::span<const std::string> elements, std::vector<std::uint64_t> shape,
                                memory_order order = memory_order::c, byte_order bytes = native_byte_order);

    const array_meta& meta() const noexcept { return st().meta; }
    brine::dtype dtype() const noexcept { return st().meta.dtype; }
    const std::vector<std::uint64_t>& shape() const noexcept { return st().meta.shape; }
    std::size_t ndim() const noexcept { return st().meta.shape.size(); }
    std::uint64_t size() const noexcept { return st().meta.size(); }
    std::uint64_t nbytes() const noexcept { return st().meta.nbytes(); }
    memory_order layout() const noexcept { return st().meta.layout(); }

    const io::buffer& buffer() const noexcept { return st().data; }
    bool mapped() const noexcept { return st().data.mapped(); }
    bool writable() const noexcept { return st().data.writable(); }
    std::span<const std::byte> bytes() const noexcept { return st().data.bytes(); }

    // The elements in memory order. Requires dtype == dtype_of<T>, native
    // byte order and aligned data; mutable_elements also a writable buffer.
    // Throws brine::type_error otherwise.
    template <element T> std::span<const T> elements() const {
        check_view(dtype_of<T>);
        return {reinterpret_cast<const T*>(st().data.data()), static_cast<std::size_t>(size())};
    }
    template <element T> std::span<T> mutable_elements() {
        check_view(dtype_of<T>, true);
        return {reinterpret_cast<T*>(st().data.data()), static_cast<std::size_t>(size())};
    }
    // Element `i` in memory order, any numeric dtype and byte order (for
    // printing). Throws type_error for bytes and str arrays: see string_at.
    scalar at(std::uint64_t i) const;
    // Element at a multi-index (row-major indices, whatever the layout).
    scalar at(std::span<const std::uint64_t> index) const;
    // Element `i` in memory order of a bytes or str array, without its
    // trailing NULs: raw bytes, or UTF-8 (model/string_element.hpp).
    std::string string_at(std::uint64_t i) const;
    // The same at a multi-index (row-major indices, whatever the layout).
    std::string string_at(std::span<const std::uint64_t> index) const;

    // Element `i` in memory order of a record array, as a 0-d record array
    // (a copy of its bytes): its fields are then field(name).
    ndarray record_at(std::uint64_t i) const;
    // The same at a multi-index (row-major indices, whatever the layout).
    ndarray record_at(std::span<const std::uint64_t> index) const;
    // Field `name` of a record array, copied out: an array of the field's
    // element type, of shape shape() followed by the field's sub-array
    // shape, C-contiguous. Throws type_error when this is not a record
    // array, std::out_of_range (like a dict's missing key) when it has no
    // such field.
    ndarray field(std::string_view name) const;

    // A native-byte-order copy when the data is not native; else *this. A
    // record array's fields are swapped one by one (records whose fields
    // overlap come back as they are).
    ndarray to_native() const;
    // A copy in owned memory (detaches from a mapping).
    ndarray copy() const;

    // Same dtype, shape and elements (logical order; byte order and layout
    // may differ). NaN equals NaN.
    friend bool operator==(const ndarray& a, const ndarray& b);

private:
    void check_view(brine::dtype t, bool write = false) const;
    void check_count(std::size_t n) const;
    void check_number_elements() const;
    // The byte offset of a multi-index; `who` names the caller in the
    // std::out_of_range it throws for a wrong rank or an index past its axis.
    std::uint64_t offset_of(std::span<const std::uint64_t> index, const char* who) const;

    // Metadata and bytes sit behind one pointer: a brine::value holds an
    // ndarray in its variant, and 96 inline bytes here made every value, and
    // every entry of a dict, twice as large as it needs to be. Copies share
    // the state (the bytes were shared already); the metadata is never
    // changed once an ndarray is built. Null (default, moved-from): the empty
    // float64 array.
    struct state {
        array_meta meta;
        io::buffer data;
    };
    static const state& empty_state() noexcept;
    const state& st() const noexcept { return state_ ? *state_ : empty_state(); }
    std::shared_ptr<const state> state_;
};

}  // namespace brine
