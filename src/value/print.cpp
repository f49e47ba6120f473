// Python-like text for a value tree: what tools print and tests show.
#include <brine/value/value.hpp>

#include "model/number_format.hpp"
#include "model/text_escape.hpp"

#include <limits>
#include <ostream>

namespace brine {

namespace {

// Python's repr of str and bytes: single quotes unless the text holds a
// single quote and no double quote. Text keeps non-ASCII UTF-8 as is; bytes
// escape everything outside printable ASCII.
void append_quoted(std::string& out, std::string_view text, bool as_bytes) {
    const bool double_quotes = text.find('\'') != text.npos && text.find('"') == text.npos;
    const char quote = double_quotes ? '"' : '\'';
    if (as_bytes) out += 'b';
    out += quote;
    detail::append_escaped(out, text, quote, as_bytes);
    out += quote;
}

class array_printer {
public:
    array_printer(const ndarray& a, std::size_t max_items) : a_(a), m_(a.meta()) {
        // Print every element if allowed, else `edge_` from each end of each
        // long axis, the largest edge that keeps the total within max_items.
        if (a.size() > max_items && !m_.shape.empty()) {
            edge_ = 1;
            while (within(edge_ + 1, max_items)) ++edge_;
        }
    }

    void print(std::string& out) {
        out += "array(";
        if (m_.order != native_byte_order && !is_record(m_.dtype)) out += m_.order == byte_order::big ? '>' : '<';
        out += m_.dtype_text();
        out += ", shape=" + shape_text(m_.shape) + ", ";
        elements(out);
        out += ')';
    }
    // The elements alone, as nested lists (one element for 0-d).
    void elements(std::string& out) { axis(out, 0, 0); }

private:
    bool within(std::uint64_t edge, std::size_t max_items) const {
        std::uint64_t total = 1;
        for (std::size_t k = 0; k < m_.shape.size(); ++k)
            if (__builtin_mul_overflow(total, 2 * edge, &total) || total > max_items) return false;
        return true;
    }

    void axis(std::string& out, std::size_t k, std::uint64_t offset) {
        if (k == m_.shape.size()) {
            const auto i = m_.itemsize() ? offset / m_.itemsize() : 0;
            if (is_record(m_.dtype)) {
                // numpy prints a record as a tuple of its fields: (1, [2., 3.]).
                const auto record = a_.record_at(i);
                out += '(';
                for (std::size_t f = 0; f < m_.fields.size(); ++f) {
                    if (f) out += ", ";
                    array_printer(record.field(m_.fields[f].name), std::numeric_limits<std::size_t>::max()).elements(out);
                }
                out += m_.fields.size() == 1 ? ",)" : ")";
                return;
            }
            if (has_width(m_.dtype)) {
                // numpy prints them as Python does: 'ab', b'ab'. A code point no
                // text can hold prints as its array's error would read.
                try {
                    append_quoted(out, a_.string_at(i), m_.dtype == dtype::bytes);
                } catch (const type_error&) {
                    out += "<invalid code point>";
                }
                return;
            }
            detail::append_number(out, a_.at(i), {.mark_integral_floats = false, .python_bools = true});
            return;
        }
        const std::uint64_t n = m_.shape[k];
        const auto stride = static_cast<std::uint64_t>(m_.strides[k]);
        const bool cut = edge_ != 0 && n > 2 * edge_;
        out += '[';
        for (std::uint64_t i = 0; i < n; ++i) {
            if (cut && i == edge_) {
                out += "..., ";
                i = n - edge_;
            }
            axis(out, k + 1, offset + i * stride);
            if (i + 1 < n) out += ", ";
        }
        out += ']';
    }

    const ndarray& a_;
    const array_meta& m_;
    std::uint64_t edge_ = 0;  // 0: print everything
};

void append(std::string& out, const value& v, std::size_t max_items) {
    switch (v.kind()) {
    case node_kind::none: out += "None"; return;
    case node_kind::scalar: detail::append_number(out, v.as_scalar(), {.python_bools = true}); return;
    case node_kind::string: append_quoted(out, v.as_string(), false); return;
    case node_kind::bytes: {
        const auto& b = v.as_bytes();
        if (v.is_bytearray()) out += "bytearray(";  // Python's repr
        append_quoted(out, std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), true);
        if (v.is_bytearray()) out += ')';
        return;
    }
    case node_kind::list: {
        out += '[';
        const char* sep = "";
        for (const auto& item : v.as_list()) { out += sep; sep = ", "; append(out, item, max_items); }
        out += ']';
        return;
    }
    case node_kind::dict: {
        out += '{';
        const char* sep = "";
        for (const auto& [key, item] : v.as_dict()) {
            out += sep; sep = ", ";
            append_quoted(out, key, false);
            out += ": ";
            append(out, item, max_items);
        }
        out += '}';
        return;
    }
    case node_kind::map: {
        out += '{';
        const char* sep = "";
        for (const auto& [key, item] : v.as_map()) {
            out += sep; sep = ", ";
            append(out, key, max_items);
            out += ": ";
            append(out, item, max_items);
        }
        out += '}';
        return;
    }
    case node_kind::array: array_printer(v.as_array(), max_items).print(out); return;
    case node_kind::object: {
        // Python-like: Class(args..., **kwargs) plus what BUILD and the
        // item opcodes added; a bare global prints as <global module.name>.
        const auto& o = v.as_object();
        if (o.build == build_kind::global) { out += "<global " + o.class_name() + ">"; return; }
        if (o.is_tuple()) {
            const auto& items = o.args[0].as_list();
            out += '(';
            const char* sep = "";
            for (const auto& item : items) { out += sep; sep = ", "; append(out, item, max_items); }
            out += items.size() == 1 ? ",)" : ")";
            return;
        }
        out += o.class_name() + "(";
        const char* sep = "";
        for (const auto& a : o.args) { out += sep; sep = ", "; append(out, a, max_items); }
        for (const auto& [key, a] : o.kwargs) { out += sep; sep = ", "; out += key + "="; append(out, a, max_items); }
        out += ')';
        if (o.has_state) { out += ".__setstate__("; append(out, o.state, max_items); out += ')'; }
        if (!o.items.empty()) { out += ".extend("; append(out, value(o.items), max_items); out += ')'; }
        if (!o.dict_items.empty()) { out += ".update("; append(out, value(o.dict_items), max_items); out += ')'; }
        return;
    }
    }
}

}  // namespace

std::string to_string(const value& v, std::size_t max_array_items) {
    std::string out;
    append(out, v, max_array_items);
    return out;
}

std::ostream& operator<<(std::ostream& os, const value& v) { return os << to_string(v); }

}  // namespace brine
