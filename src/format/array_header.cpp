#include "format/array_header.hpp"

#include "format/hex_byte.hpp"
#include "format/varint.hpp"

#include <string_view>

namespace brine::format {

namespace {

// Reads fields front to back and records the first problem.
class header_cursor {
public:
    explicit header_cursor(std::span<const std::byte> b) : p_(b.data()), begin_(b.data()), end_(b.data() + b.size()) {}

    std::optional<std::uint8_t> byte(std::string_view expected) {
        if (p_ == end_) return fail(true, std::string(expected)), std::nullopt;
        return static_cast<std::uint8_t>(*p_++);
    }
    std::optional<std::uint64_t> varint(std::string_view expected) {
        const auto r = get_varint(p_, end_);
        if (r.length == 0) return fail(true, std::string(expected)), std::nullopt;
        if (r.length == varint_malformed) return fail(false, "malformed varint, expected " + std::string(expected)), std::nullopt;
        p_ += r.length;
        return r.value;
    }
    // A problem with the field that starts `back` bytes before the cursor.
    void fail(bool truncated, std::string what, std::size_t back = 0) {
        if (!problem) problem = array_header_problem{offset() - back, truncated, std::move(what)};
    }
    std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

    std::optional<array_header_problem> problem;

private:
    const std::byte* p_;
    const std::byte* begin_;
    const std::byte* end_;
};

// How far the fields up to the shape were read.
enum class decoded_through { nothing, dtype, shape };

// The fields up to and including the shape; c.problem is set when they stop
// before it.
decoded_through decode_through_shape(header_cursor& c, array_meta& m) {
    constexpr auto nothing = decoded_through::nothing;
    const auto t = c.byte("an array's dtype");
    if (!t) return nothing;
    if (!is_valid(static_cast<dtype>(*t))) return c.fail(false, "unknown dtype code " + std::to_string(*t), 1), nothing;
    m.dtype = static_cast<dtype>(*t);
    const auto failed = decoded_through::dtype;
    if (has_time_unit(m.dtype)) {
        const auto base = c.byte("a time unit");
        if (!base) return failed;
        const auto count = c.varint("a time unit's count");
        if (!count) return failed;
        const auto u = unit_from_field(*base, *count);
        if (!u) return c.fail(false, "invalid time unit " + std::to_string(*base) + " x " + std::to_string(*count)), failed;
        m.unit = *u;
    }
    if (has_width(m.dtype)) {
        const auto width = c.varint("a string dtype's width");
        if (!width) return failed;
        if (*width == 0 || *width > max_string_itemsize / itemsize(m.dtype))
            return c.fail(false, "string width " + std::to_string(*width) + " outside 1 to " +
                                     std::to_string(max_string_itemsize / itemsize(m.dtype))), failed;
        m.width = static_cast<std::uint32_t>(*width);
    }
    const auto order = c.byte("an array's byte order");
    if (!order) return failed;
    if (*order == '|' && itemsize(m.dtype) == 1) m.order = native_byte_order;
    else if (*order == '<' || *order == '>') m.order = static_cast<byte_order>(*order);
    else return c.fail(false, "invalid byte order mark 0x" + hex_byte(*order) + ", expected '<', '>' or '|'", 1), failed;
    const auto ndim = c.varint("an array's rank");
    if (!ndim) return failed;
    if (*ndim > max_rank) return c.fail(false, "array rank " + std::to_string(*ndim) + " above " + std::to_string(max_rank)), failed;
    m.shape.resize(static_cast<std::size_t>(*ndim));
    for (auto& n : m.shape) {
        const auto v = c.varint("an array dimension");
        if (!v) return failed;
        n = *v;
    }
    return decoded_through::shape;
}

}  // namespace

decoded_array_header decode_array_header(std::span<const std::byte> bytes) {
    decoded_array_header out;
    header_cursor c(bytes);
    auto& m = out.header.meta;
    m = {};
    if (decode_through_shape(c, m) == decoded_through::shape) {
        m.strides.resize(m.shape.size());
        bool ok = true;
        for (auto& s : m.strides) {
            const auto v = c.varint("an array stride");
            if (!(ok = v.has_value())) break;
            s = unzigzag(*v);
        }
        const auto nbytes = ok ? c.varint("an array's byte count") : std::nullopt;
        if (nbytes) {
            out.header.nbytes = *nbytes;
            out.header.length = c.offset();
            // The shape must agree with the byte count without overflowing.
            if (m.checked_nbytes() != *nbytes)
                c.fail(false, "array of shape " + shape_text(m.shape) + " and dtype " + m.dtype_text() + " declares " +
                                  std::to_string(*nbytes) + " bytes");
            else if (!m.is_c_contiguous() && !m.is_f_contiguous())
                c.fail(false, "array strides are neither C- nor F-contiguous");
        }
    }
    out.problem = std::move(c.problem);
    return out;
}

std::string describe_array_header(std::span<const std::byte> bytes) {
    header_cursor c(bytes);
    array_meta m;
    switch (decode_through_shape(c, m)) {
    case decoded_through::shape: return m.describe();
    case decoded_through::dtype: return m.dtype_text() + " array";
    case decoded_through::nothing: return "array";
    }
    return "array";
}

}  // namespace brine::format
