#include "model/number_format.hpp"
#include "model/time_text.hpp"

#include <charconv>
#include <limits>
#include <cmath>
#include <cstdlib>

namespace brine::detail {

namespace {

// Shortest text for a float16 value: to_chars knows no half type, so try
// precisions until the text converts back to the same half.
std::string shortest_half(float v) {
    char buf[32];
    const std::uint16_t bits = float_to_half(v);
    for (int precision = 1; precision < 9; ++precision) {
        auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
        std::string text(buf, r.ptr);
        if (float_to_half(std::strtof(text.c_str(), nullptr)) == bits) return text;
    }
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

void append_real(std::string& out, double v, dtype precision, bool mark_integral) {
    if (std::isnan(v)) { out += "nan"; return; }
    if (std::isinf(v)) { out += v < 0 ? "-inf" : "inf"; return; }
    char buf[64];
    std::string text;
    // The precision the digits must round-trip in: the table's significand bits.
    const unsigned bits = info(precision).mantissa_bits;
    if (bits == info(dtype::float16).mantissa_bits) {
        text = shortest_half(static_cast<float>(v));
    } else if (bits <= static_cast<unsigned>(std::numeric_limits<float>::digits)) {
        auto r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
        text.assign(buf, r.ptr);
    } else {
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        text.assign(buf, r.ptr);
    }
    if (mark_integral && text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
    out += text;
}

}  // namespace

bool same_number(double a, double b) noexcept {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

void append_number(std::string& out, const scalar& s, number_style style) {
    char buf[32];
    switch (kind(s.type())) {
    case dtype_kind::boolean: {
        const bool b = s.as<bool>();
        out += style.python_bools ? (b ? "True" : "False") : (b ? "true" : "false");
        return;
    }
    case dtype_kind::signed_int: {
        auto r = std::to_chars(buf, buf + sizeof buf, s.as<std::int64_t>());
        out.append(buf, r.ptr);
        return;
    }
    case dtype_kind::unsigned_int: {
        auto r = std::to_chars(buf, buf + sizeof buf, s.as<std::uint64_t>());
        out.append(buf, r.ptr);
        return;
    }
    case dtype_kind::floating:
        append_real(out, s.as<double>(), s.type(), style.mark_integral_floats);
        return;
    case dtype_kind::complex: {
        // Python's repr: (1+2j), (1-2j), (nan+nanj); components never get ".0".
        const auto c = s.as<std::complex<double>>();
        out += '(';
        append_real(out, c.real(), s.type(), false);
        if (!std::signbit(c.imag()) || std::isnan(c.imag())) out += '+';
        append_real(out, c.imag(), s.type(), false);
        out += "j)";
        return;
    }
    case dtype_kind::datetime: append_datetime(out, s.as<std::int64_t>(), s.unit()); return;
    case dtype_kind::timedelta: append_timedelta(out, s.as<std::int64_t>(), s.unit()); return;
    case dtype_kind::string: case dtype_kind::record: return;  // never a scalar's dtype
    }
}

}  // namespace brine::detail
