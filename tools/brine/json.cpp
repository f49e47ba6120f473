#include "json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <complex>
#include <string>

namespace brine::cli {

namespace {

constexpr std::string_view replacement_char = "\\ufffd";

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;       // overlong
        else if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;       // overlong
        else if (b0 == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

void write_string(std::ostream& out, std::string_view s) {
    std::string text = "\"";
    text.reserve(s.size() + 2);
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        const auto n = utf8_sequence(s, i);
        if (n == 0) {
            text += replacement_char;
            ++i;
            continue;
        }
        if (n > 1) {
            text.append(s.substr(i, n));
        } else if (c == '"' || c == '\\') {
            text += '\\';
            text += c;
        } else if (c == '\n') {
            text += "\\n";
        } else if (c == '\t') {
            text += "\\t";
        } else if (c == '\r') {
            text += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(c));
            text += escape;
        } else {
            text += c;
        }
        i += n;
    }
    text += '"';
    out << text;
}

void write_base64(std::ostream& out, const bytes& b) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text = "\"";
    text.reserve(b.size() / 3 * 4 + 6);
    std::size_t i = 0;
    const auto at = [&](std::size_t k) { return static_cast<unsigned>(b[k]); };
    for (; i + 3 <= b.size(); i += 3) {
        const unsigned n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
        for (int shift : {18, 12, 6, 0}) text += alphabet[(n >> shift) & 63];
    }
    if (const auto rest = b.size() - i) {
        const unsigned n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
        text += alphabet[(n >> 18) & 63];
        text += alphabet[(n >> 12) & 63];
        text += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
        text += '=';
    }
    text += '"';
    out << text;
}

template <class Float>
void write_float(std::ostream& out, Float x) {
    if (std::isnan(x)) {
        out << "\"nan\"";
    } else if (std::isinf(x)) {
        out << (x > 0 ? "\"inf\"" : "\"-inf\"");
    } else {
        std::array<char, 64> text;
        const auto r = std::to_chars(text.data(), text.data() + text.size(), x);
        out.write(text.data(), r.ptr - text.data());
    }
}

void write_scalar(std::ostream& out, const scalar& s) {
    switch (kind(s.type())) {
    case dtype_kind::boolean: out << (s.as<bool>() ? "true" : "false"); break;
    case dtype_kind::signed_int: out << s.as<std::int64_t>(); break;
    case dtype_kind::unsigned_int: out << s.as<std::uint64_t>(); break;
    case dtype_kind::floating:
        // float16 and float32 print their own shortest form, not float64's.
        if (s.type() == dtype::float64) write_float(out, s.as<double>());
        else write_float(out, s.as<float>());
        break;
    case dtype_kind::complex: {
        const auto z = s.as<std::complex<double>>();
        out << '[';
        if (s.type() == dtype::complex64) write_float(out, static_cast<float>(z.real()));
        else write_float(out, z.real());
        out << ',';
        if (s.type() == dtype::complex64) write_float(out, static_cast<float>(z.imag()));
        else write_float(out, z.imag());
        out << ']';
        break;
    }
    case dtype_kind::datetime:
    case dtype_kind::timedelta:
        // ISO 8601 text ("2020-01-31T12:00:00"), "15 minutes"; NaT is null.
        if (s.as<std::int64_t>() == not_a_time) out << "null";
        else write_string(out, s.to_string());
        break;
    case dtype_kind::string: case dtype_kind::record: break;  // never a scalar's dtype (write_axis)
    }
}

// One axis of an array: `index` holds the positions on the axes before it.
void write_axis(std::ostream& out, const ndarray& a, std::vector<std::uint64_t>& index, std::size_t axis) {
    if (axis == a.ndim()) {
        if (is_record(a.dtype())) {  // an object of its fields, like a dict node
            const auto record = a.record_at(std::span<const std::uint64_t>(index));
            out << '{';
            for (std::size_t f = 0; f < a.meta().fields.size(); ++f) {
                const auto& name = a.meta().fields[f].name;
                if (f) out << ',';
                write_string(out, name);
                out << ':';
                const auto field = record.field(name);
                std::vector<std::uint64_t> field_index(field.ndim());
                write_axis(out, field, field_index, 0);
            }
            out << '}';
            return;
        }
        if (has_width(a.dtype())) {  // str elements are strings, bytes elements base64, as string and bytes nodes
            std::string text;
            try {
                text = a.string_at(std::span<const std::uint64_t>(index));
            } catch (const type_error&) {
                out << "null";  // a code point above U+10FFFF: no JSON text holds it
                return;
            }
            if (a.dtype() == dtype::str) return write_string(out, text);
            const auto* p = reinterpret_cast<const std::byte*>(text.data());
            return write_base64(out, bytes(p, p + text.size()));
        }
        write_scalar(out, a.at(std::span<const std::uint64_t>(index)));
        return;
    }
    out << '[';
    for (std::uint64_t i = 0; i < a.shape()[axis]; ++i) {
        if (i) out << ',';
        index[axis] = i;
        write_axis(out, a, index, axis + 1);
    }
    out << ']';
}

}  // namespace

void write_json(std::ostream& out, const brine::value& v) {
    struct visitor {
        std::ostream& out;
        void operator()(none_t) const { out << "null"; }
        void operator()(const scalar& s) const { write_scalar(out, s); }
        void operator()(const std::string& s) const { write_string(out, s); }
        void operator()(const bytes& b) const { write_base64(out, b); }
        void operator()(const list& l) const {
            out << '[';
            for (std::size_t i = 0; i < l.size(); ++i) {
                if (i) out << ',';
                write_json(out, l[i]);
            }
            out << ']';
        }
        void operator()(const dict& d) const {
            out << '{';
            bool first = true;
            for (const auto& [key, child] : d) {
                if (!first) out << ',';
                first = false;
                write_string(out, key);
                out << ':';
                write_json(out, child);
            }
            out << '}';
        }
        void operator()(const map& m) const {
            out << '[';
            for (std::size_t i = 0; i < m.size(); ++i) {
                if (i) out << ',';
                out << '[';
                write_json(out, m[i].first);
                out << ',';
                write_json(out, m[i].second);
                out << ']';
            }
            out << ']';
        }
        void operator()(const ndarray& a) const {
            std::vector<std::uint64_t> index(a.ndim());
            write_axis(out, a, index, 0);
        }
        // {"__class__": "module.qualname", "__build__": "REDUCE", "args": [...],
        // "state": {...}}: the double underscores mark it as an object node;
        // empty parts are left out; the tuple stand-in is a plain array.
        void operator()(const object_box& box) const {
            const auto& o = box.get();
            if (o.is_tuple()) return write_json(out, o.args[0]);
            out << "{\"__class__\":";
            write_string(out, o.class_name());
            out << ",\"__build__\":";
            write_string(out, std::string(name(o.build)));
            if (!o.args.empty()) { out << ",\"args\":"; (*this)(o.args); }
            if (!o.kwargs.empty()) { out << ",\"kwargs\":"; (*this)(o.kwargs); }
            if (o.has_state) { out << ",\"state\":"; write_json(out, o.state); }
            if (!o.items.empty()) { out << ",\"items\":"; (*this)(o.items); }
            if (!o.dict_items.empty()) { out << ",\"dict_items\":"; (*this)(o.dict_items); }
            out << '}';
        }
    };
    std::visit(visitor{out}, v.variant());
}

}  // namespace brine::cli
