#include "interop/numpy_descr.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <charconv>

namespace brine::interop {

namespace {

// "f8", "b1": the table's numpy code; numpy also writes bool as "?1".
std::optional<brine::dtype> dtype_from_code(std::string_view code) {
    if (code == "?1") code = "b1";
    for (const auto& row : dtype_infos)
        if (row.numpy_code == code) return row.code;
    return std::nullopt;
}

}  // namespace

std::optional<numpy_descr> parse_numpy_descr(std::string_view text) {
    numpy_descr d;
    if (!text.empty() && (text[0] == '<' || text[0] == '>' || text[0] == '|' || text[0] == '=')) {
        if (text[0] == '<') d.order = byte_order::little;
        if (text[0] == '>') d.order = byte_order::big;
        text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    const char kind = text[0];
    text.remove_prefix(1);
    if (kind == 'O') {
        // "O", "O8" (numpy's pickle), "O4" on 32-bit builds.
        if (text.empty() || text == "8" || text == "4") return numpy_descr{std::nullopt, d.order};
        return std::nullopt;
    }
    if (kind == 'V') {
        // numpy's void, 'V16': a record of that many bytes; its fields, if
        // any, come from a list descr or a pickled dtype's state.
        std::uint64_t size = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
        if (ec != std::errc{} || end != text.data() + text.size() || size == 0 || size > max_record_itemsize) return std::nullopt;
        d.type = dtype::record;
        d.width = static_cast<std::uint32_t>(size);
        d.order = native_byte_order;
        return d;
    }
    if (kind == 'S' || kind == 'a' || kind == 'U') {
        // numpy counts characters: "U2" is 8 bytes.
        const auto t = kind == 'U' ? dtype::str : dtype::bytes;
        std::uint64_t width = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), width);
        if (ec != std::errc{} || end != text.data() + text.size() || width == 0 || width > max_string_itemsize / itemsize(t))
            return std::nullopt;
        d.type = t;
        d.width = static_cast<std::uint32_t>(width);
        if (t == dtype::bytes) d.order = native_byte_order;
        return d;
    }
    // datetime64 / timedelta64: "M8[ns]", or "M8" with a generic unit.
    std::string_view unit;
    if ((kind == 'M' || kind == 'm') && text.ends_with(']')) {
        const auto open = text.find('[');
        if (open == std::string_view::npos) return std::nullopt;
        unit = text.substr(open + 1, text.size() - open - 2);
        text = text.substr(0, open);
        if (text.empty()) text = "8";  // "M[ns]"
    }
    unsigned size = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    d.type = dtype_from_code(std::string(1, kind) + std::to_string(size));
    if (!d.type) return std::nullopt;
    if (has_time_unit(*d.type)) {
        const auto u = parse_unit(unit);
        if (!u) return std::nullopt;
        d.unit = *u;
    }
    if (itemsize(*d.type) == 1) d.order = native_byte_order;  // '|' and '<' mean the same there
    return d;
}

std::string numpy_type_code(brine::dtype t, std::uint32_t width) {
    auto code = std::string(info(t).numpy_code);
    if (is_sized(t)) code += std::to_string(width);
    return code;
}

char numpy_order_char(brine::dtype t, byte_order order) {
    if (itemsize(t) == 1) return '|';
    return order == byte_order::little ? '<' : '>';
}

namespace {

std::string python_string(std::string_view s) {
    // numpy writes names with repr(): quotes and backslashes escaped.
    std::string out = "'";
    for (const char c : s) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string padding_entry(std::uint64_t bytes) { return "('', '|V" + std::to_string(bytes) + "')"; }

// numpy's dtype.descr of a record: fields in offset order, padding as
// ('', '|V<n>') entries.
std::string list_descr(const element_type& t) {
    auto fields = t.fields;
    std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    std::string s = "[";
    std::uint64_t at = 0;
    auto entry = [&](std::string e) { s += (s.size() > 1 ? ", " : "") + std::move(e); };
    for (const auto& f : fields) {
        if (f.offset < at)
            throw unsupported_error({}, "record fields '" + f.name + "' and the one before it overlap: numpy's list descr cannot say that");
        if (f.offset > at) entry(padding_entry(f.offset - at));
        const auto type = numpy_descr_text(f.type);
        std::string e = "(" + python_string(f.name) + ", " + (type.starts_with('[') ? type : python_string(type));
        if (!f.shape.empty()) e += ", " + shape_text(f.shape);  // Python's tuple syntax
        entry(e + ")");
        at = f.offset + f.nbytes();
    }
    if (at < t.width || fields.empty()) entry(padding_entry(t.width - at));
    return s + "]";
}

}  // namespace

std::string numpy_descr_text(const element_type& t) {
    if (is_record(t.dtype) && !t.fields.empty()) return list_descr(t);
    std::string s = numpy_order_char(t.dtype, t.order) + numpy_type_code(t.dtype, t.width);
    if (has_time_unit(t.dtype)) s += "[" + unit_text(t.unit) + "]";
    return s;
}

// The object dtype has no element type: its descr is numpy's '|O'.
std::string numpy_descr_text(const numpy_descr& d) { return d.type ? numpy_descr_text(d.element()) : std::string("|O"); }
std::string numpy_descr_text(const array_meta& meta) { return numpy_descr_text(meta.element()); }

array_meta numpy_descr::meta(std::vector<std::uint64_t> shape, memory_order layout) const {
    // numpy folds a sub-array dtype into the array's shape.
    shape.insert(shape.end(), subarray.begin(), subarray.end());
    return array_meta::contiguous_of(element(), std::move(shape), layout);
}

}  // namespace brine::interop
