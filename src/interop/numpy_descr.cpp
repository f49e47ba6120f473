#include "interop/numpy_descr.hpp"

#include <charconv>

namespace brine::interop {

namespace {

std::optional<brine::dtype> dtype_from_code(char kind, unsigned size) {
    switch (kind) {
    case 'b': if (size == 1) return dtype::bool_; break;
    case '?': if (size == 1) return dtype::bool_; break;
    case 'i':
        switch (size) { case 1: return dtype::int8; case 2: return dtype::int16; case 4: return dtype::int32; case 8: return dtype::int64; }
        break;
    case 'u':
        switch (size) { case 1: return dtype::uint8; case 2: return dtype::uint16; case 4: return dtype::uint32; case 8: return dtype::uint64; }
        break;
    case 'f':
        switch (size) { case 2: return dtype::float16; case 4: return dtype::float32; case 8: return dtype::float64; }
        break;
    case 'c':
        switch (size) { case 8: return dtype::complex64; case 16: return dtype::complex128; }
        break;
    }
    return std::nullopt;
}

char kind_char(brine::dtype t) {
    switch (kind(t)) {
    case dtype_kind::boolean: return 'b';
    case dtype_kind::signed_int: return 'i';
    case dtype_kind::unsigned_int: return 'u';
    case dtype_kind::floating: return 'f';
    case dtype_kind::complex: return 'c';
    }
    return '?';
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
    d.type = dtype_from_code(kind, size);
    if (!d.type) return std::nullopt;
    if (itemsize(*d.type) == 1) d.order = native_byte_order;  // '|' and '<' mean the same there
    return d;
}

std::string numpy_type_code(brine::dtype t) { return kind_char(t) + std::to_string(itemsize(t)); }

char numpy_order_char(brine::dtype t, byte_order order) {
    if (itemsize(t) == 1) return '|';
    return order == byte_order::little ? '<' : '>';
}

std::string numpy_descr_text(brine::dtype t, byte_order order) { return numpy_order_char(t, order) + numpy_type_code(t); }

}  // namespace brine::interop
