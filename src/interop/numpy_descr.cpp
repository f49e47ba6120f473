#include "interop/numpy_descr.hpp"

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
    if (has_width(t)) code += std::to_string(width);
    return code;
}

char numpy_order_char(brine::dtype t, byte_order order) {
    if (itemsize(t) == 1) return '|';
    return order == byte_order::little ? '<' : '>';
}

std::string numpy_descr_text(const numpy_descr& d) {
    std::string s = numpy_order_char(*d.type, d.order) + numpy_type_code(*d.type, d.width);
    if (has_time_unit(*d.type)) s += "[" + unit_text(d.unit) + "]";
    return s;
}

std::string numpy_descr_text(const array_meta& meta) { return numpy_descr_text(numpy_descr{meta.dtype, meta.order, meta.unit, meta.width}); }

array_meta numpy_descr::meta(std::vector<std::uint64_t> shape, memory_order layout) const {
    auto m = has_width(*type) ? array_meta::contiguous_strings(*type, width, std::move(shape), layout)
                              : array_meta::contiguous(*type, std::move(shape), layout);
    m.order = order;
    m.unit = unit;
    return m;
}

}  // namespace brine::interop
