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
    unsigned size = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    d.type = dtype_from_code(std::string(1, kind) + std::to_string(size));
    if (!d.type) return std::nullopt;
    if (itemsize(*d.type) == 1) d.order = native_byte_order;  // '|' and '<' mean the same there
    return d;
}

std::string numpy_type_code(brine::dtype t) { return std::string(info(t).numpy_code); }

char numpy_order_char(brine::dtype t, byte_order order) {
    if (itemsize(t) == 1) return '|';
    return order == byte_order::little ? '<' : '>';
}

std::string numpy_descr_text(brine::dtype t, byte_order order) { return numpy_order_char(t, order) + numpy_type_code(t); }

}  // namespace brine::interop
