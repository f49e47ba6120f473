#include "format/array_header.hpp"

#include "format/hex_byte.hpp"
#include "format/varint.hpp"

#include <algorithm>
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
    std::optional<std::span<const std::byte>> bytes(std::size_t n, std::string_view expected) {
        if (static_cast<std::size_t>(end_ - p_) < n) return fail(true, std::string(expected)), std::nullopt;
        const std::span<const std::byte> b(p_, n);
        p_ += n;
        return b;
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

bool decode_field_list(header_cursor& c, std::vector<record_field>& fields, std::size_t depth, std::size_t& fields_seen);

// What a shape's fields are called in messages.
struct shape_names {
    const char* rank;       // "an array's rank"
    const char* dimension;  // "an array dimension"
    const char* noun;       // "array"
};
constexpr shape_names array_shape{"an array's rank", "an array dimension", "array"};
constexpr shape_names sub_array_shape{"a sub-array's rank", "a sub-array dimension", "sub-array"};

// varint rank (at most max_rank), then rank varints: an array's shape or a
// sub-array field's.
bool decode_shape(header_cursor& c, std::vector<std::uint64_t>& shape, const shape_names& names) {
    const auto rank = c.varint(names.rank);
    if (!rank) return false;
    if (*rank > max_rank)
        return c.fail(false, std::string(names.noun) + " rank " + std::to_string(*rank) + " above " + std::to_string(max_rank)), false;
    shape.resize(static_cast<std::size_t>(*rank));
    for (auto& n : shape) {
        const auto v = c.varint(names.dimension);
        if (!v) return false;
        n = *v;
    }
    return true;
}

// An element type: u8 dtype, [time unit field | varint width | varint
// width + field list], u8 byte order. The dtype is set as soon as it is read.
bool decode_element_type(header_cursor& c, element_type& t, std::size_t depth, std::size_t& fields_seen) {
    const auto code = c.byte("a dtype");
    if (!code) return false;
    if (!is_valid(static_cast<dtype>(*code))) return c.fail(false, "unknown dtype code " + std::to_string(*code), 1), false;
    t.dtype = static_cast<dtype>(*code);
    if (has_time_unit(t.dtype)) {
        const auto base = c.byte("a time unit");
        if (!base) return false;
        const auto count = c.varint("a time unit's count");
        if (!count) return false;
        const auto u = unit_from_field(*base, *count);
        if (!u) return c.fail(false, "invalid time unit " + std::to_string(*base) + " x " + std::to_string(*count)), false;
        t.unit = *u;
    }
    if (has_width(t.dtype)) {
        const auto width = c.varint("a string dtype's width");
        if (!width) return false;
        if (*width == 0 || *width > max_string_itemsize / itemsize(t.dtype))
            return c.fail(false, "string width " + std::to_string(*width) + " outside 1 to " +
                                     std::to_string(max_string_itemsize / itemsize(t.dtype))), false;
        t.width = static_cast<std::uint32_t>(*width);
    }
    if (is_record(t.dtype)) {
        const auto width = c.varint("a record's size in bytes");
        if (!width) return false;
        if (*width == 0 || *width > max_record_itemsize)
            return c.fail(false, "record of " + std::to_string(*width) + " bytes, expected 1 to " + std::to_string(max_record_itemsize)), false;
        t.width = static_cast<std::uint32_t>(*width);
        if (depth >= max_record_depth) return c.fail(false, "records nested deeper than " + std::to_string(max_record_depth)), false;
        if (!decode_field_list(c, t.fields, depth + 1, fields_seen)) return false;
    }
    const auto order = c.byte("a byte order");
    if (!order) return false;
    // Records have no byte order of their own: their fields have.
    if (*order == '|' && itemsize(t.dtype) == 1) t.order = native_byte_order;
    else if ((*order == '<' || *order == '>') && !is_record(t.dtype)) t.order = static_cast<byte_order>(*order);
    else return c.fail(false, "invalid byte order mark 0x" + hex_byte(*order) + (is_record(t.dtype) ? ", expected '|' for a record" : ", expected '<', '>' or '|'"), 1), false;
    return true;
}

// varint count, then per field: varint name length, name, varint offset,
// element type, varint rank, rank varints (the sub-array shape).
bool decode_field_list(header_cursor& c, std::vector<record_field>& fields, std::size_t depth, std::size_t& fields_seen) {
    const auto count = c.varint("a record's field count");
    if (!count) return false;
    if (*count > max_record_fields - fields_seen)
        return c.fail(false, "more than " + std::to_string(max_record_fields) + " record fields"), false;
    fields_seen += static_cast<std::size_t>(*count);
    fields.resize(static_cast<std::size_t>(*count));
    for (auto& f : fields) {
        const auto length = c.varint("a field name's length");
        if (!length) return false;
        if (*length == 0 || *length > max_field_name)
            return c.fail(false, "field name of " + std::to_string(*length) + " bytes, expected 1 to " + std::to_string(max_field_name)), false;
        const auto name = c.bytes(static_cast<std::size_t>(*length), "a field name");
        if (!name) return false;
        f.name.assign(reinterpret_cast<const char*>(name->data()), name->size());
        const auto offset = c.varint("a field's offset");
        if (!offset) return false;
        f.offset = *offset;
        if (!decode_element_type(c, f.type, depth, fields_seen)) return false;
        if (!decode_shape(c, f.shape, sub_array_shape)) return false;
    }
    return true;
}

// The fields up to and including the shape; c.problem is set when they stop
// before it.
decoded_through decode_through_shape(header_cursor& c, array_meta& m) {
    element_type t;
    std::size_t fields_seen = 0;
    const auto start = c.offset();
    const bool typed = decode_element_type(c, t, 0, fields_seen);
    const bool have_dtype = c.offset() > start && is_valid(t.dtype);
    m.dtype = t.dtype;
    m.unit = t.unit;
    m.width = t.width;
    if (!typed) return have_dtype ? decoded_through::dtype : decoded_through::nothing;
    const auto failed = decoded_through::dtype;
    if (is_record(t.dtype))
        if (auto p = record_layout_problem(t.fields, t.width)) return c.fail(false, *p), failed;
    m.order = t.order;
    m.fields = std::move(t.fields);
    return decode_shape(c, m.shape, array_shape) ? decoded_through::shape : failed;
}

}  // namespace

decoded_array_header decode_array_header(std::span<const std::byte> bytes) {
    decoded_array_header out;
    // A header ends within max_array_header bytes (a record's fields are
    // what could make one long): one that does not is corrupt, not cut short.
    header_cursor c(bytes.first(std::min(bytes.size(), max_array_header)));
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
    if (out.problem && out.problem->truncated && bytes.size() > max_array_header)
        out.problem = array_header_problem{max_array_header, false, "an array header longer than " + std::to_string(max_array_header) + " bytes"};
    return out;
}

namespace {

void append_varint(std::vector<std::byte>& out, std::uint64_t v) {
    std::byte b[10];
    out.insert(out.end(), b, b + put_varint(b, v));
}

void append_element_type(const element_type& t, std::vector<std::byte>& out) {
    out.push_back(static_cast<std::byte>(t.dtype));
    if (has_time_unit(t.dtype)) {
        std::byte unit[max_unit_field];
        out.insert(out.end(), unit, unit + put_unit_field(unit, t.unit));
    }
    if (is_sized(t.dtype)) append_varint(out, t.width);
    if (is_record(t.dtype)) {
        append_varint(out, t.fields.size());
        for (const auto& f : t.fields) {
            append_varint(out, f.name.size());
            const auto* name = reinterpret_cast<const std::byte*>(f.name.data());
            out.insert(out.end(), name, name + f.name.size());
            append_varint(out, f.offset);
            append_element_type(f.type, out);
            append_varint(out, f.shape.size());
            for (const auto n : f.shape) append_varint(out, n);
        }
    }
    out.push_back(static_cast<std::byte>(itemsize(t.dtype) == 1 ? '|' : static_cast<std::uint8_t>(t.order)));
}

}  // namespace

bool encode_element_type(const element_type& t, std::vector<std::byte>& out) {
    const auto start = out.size();
    append_element_type(t, out);
    if (out.size() - start <= max_element_type_field) return true;
    out.resize(start);
    return false;
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
