#include "interop/npy_header.hpp"
#include "model/byte_order.hpp"

#include "interop/numpy_descr.hpp"

#include <charconv>
#include <cstring>
#include <optional>

namespace brine::interop {

namespace {

constexpr char magic[npy_magic_size] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
// numpy itself refuses headers over 10000 bytes unless told otherwise; a
// header of 64 dimensions fits in far less than this.
constexpr std::uint32_t max_header_length = 1 << 16;
constexpr std::size_t header_alignment = 64;

// Just enough of Python's literal syntax for the header dict.
class literal_parser {
public:
    literal_parser(std::string_view text, const input_cursor& at) : s_(text), at_(at) {}

    void expect(char c) {
        skip_space();
        if (i_ >= s_.size() || s_[i_] != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    bool accept(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; }
        return false;
    }
    std::string string() {
        skip_space();
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) fail("expected a string");
        const char q = s_[i_++];
        std::string out;
        while (i_ < s_.size() && s_[i_] != q) {
            if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;  // repr() escapes quotes and backslashes
            out += s_[i_++];
        }
        if (i_ == s_.size()) fail("unterminated string");
        ++i_;
        return out;
    }
    bool boolean() {
        skip_space();
        if (s_.substr(i_, 4) == "True") { i_ += 4; return true; }
        if (s_.substr(i_, 5) == "False") { i_ += 5; return false; }
        fail("expected True or False");
    }
    std::uint64_t integer() {
        skip_space();
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s_.data() + i_, s_.data() + s_.size(), v);
        if (ec != std::errc{}) fail("expected a dimension (a non-negative integer below 2**64)");
        i_ = static_cast<std::size_t>(end - s_.data());
        if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2 long
        return v;
    }
    std::vector<std::uint64_t> shape() {
        expect('(');
        std::vector<std::uint64_t> dims;
        while (!accept(')')) {
            if (dims.size() == max_rank) fail("more than " + std::to_string(max_rank) + " dimensions");
            dims.push_back(integer());
            if (!accept(',')) {
                expect(')');
                break;
            }
        }
        return dims;
    }
    bool peek(char c) {
        skip_space();
        return i_ < s_.size() && s_[i_] == c;
    }
    // numpy's list descr after its '[': (name, type[, shape]) entries, a
    // type being a descr string or a nested list; ('', '|V<n>') entries are
    // padding. Fields follow each other (numpy's dtype.descr).
    element_type list_descr(std::size_t depth, std::size_t& fields_seen) {
        if (depth > max_record_depth) fail("records nested deeper than " + std::to_string(max_record_depth));
        element_type t;
        t.dtype = dtype::record;
        std::uint64_t at = 0;
        while (!accept(']')) {
            if (++fields_seen > max_record_fields) fail("more than " + std::to_string(max_record_fields) + " record fields");
            expect('(');
            std::string name;
            if (accept('(')) {  // (title, name)
                string();
                expect(',');
                name = string();
                expect(')');
            } else {
                name = string();
            }
            expect(',');
            record_field f;
            f.name = std::move(name);
            f.offset = at;
            if (accept('[')) {
                f.type = list_descr(depth + 1, fields_seen);
            } else {
                const auto code = string();
                const auto d = parse_numpy_descr(code);
                if (!d || !d->type) fail("field dtype '" + code + "' is not supported");
                f.type = d->element();
            }
            if (accept(',') && !peek(')')) {
                if (peek('(')) f.shape = shape();
                else f.shape = {integer()};
            }
            accept(',');
            expect(')');
            const auto bytes = f.nbytes();
            if (bytes > max_record_itemsize || at + bytes > max_record_itemsize) fail("a record larger than " + std::to_string(max_record_itemsize) + " bytes");
            at += bytes;
            if (!f.name.empty()) t.fields.push_back(std::move(f));
            else if (!is_record(f.type.dtype) || !f.type.fields.empty()) fail("a field without a name that is not padding ('', '|V<n>')");
            if (!accept(',')) {
                expect(']');
                break;
            }
        }
        t.width = static_cast<std::uint32_t>(at);
        if (auto problem = record_layout_problem(t.fields, t.width)) fail(*problem);
        return t;
    }
    bool at_end() {
        skip_space();
        return i_ == s_.size();
    }
    [[noreturn]] void fail(const std::string& what) const {
        at_.fail<format_error>("npy header: " + what + " at character " + std::to_string(i_) + " of \"" + std::string(s_) + "\"");
    }

private:
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
    }
    std::string_view s_;
    std::size_t i_ = 0;
    const input_cursor& at_;
};


}  // namespace

bool starts_with_npy_magic(std::span<const std::byte> bytes) noexcept {
    return bytes.size() >= npy_magic_size && std::memcmp(bytes.data(), magic, npy_magic_size) == 0;
}

array_meta read_npy_header(input_cursor& in) {
    std::byte m[npy_magic_size];
    in.read_exact(m, "the npy magic");
    if (!starts_with_npy_magic(m)) in.fail<format_error>("not an npy file: expected the magic \\x93NUMPY");
    const auto major = in.read_u8("the npy version");
    in.read_u8("the npy version");
    std::uint32_t length;
    if (major == 1) length = in.read_le<std::uint16_t>("the npy header length");
    else if (major == 2 || major == 3) length = in.read_le<std::uint32_t>("the npy header length");
    else in.fail<format_error>("npy version " + std::to_string(major) + ", expected 1, 2 or 3");
    if (length > max_header_length) in.fail("npy header of " + std::to_string(length) + " bytes, expected at most " + std::to_string(max_header_length));
    const auto text = in.read_string(length, "the npy header");

    literal_parser p(text, in);
    std::optional<std::string> descr;
    std::optional<element_type> record;  // a list descr
    std::optional<bool> fortran;
    std::optional<std::vector<std::uint64_t>> shape;
    p.expect('{');
    while (!p.accept('}')) {
        const auto key = p.string();
        p.expect(':');
        if (key == "descr") {
            if (std::size_t fields_seen = 0; p.accept('[')) record = p.list_descr(1, fields_seen), descr = "";
            else descr = p.string();
        } else if (key == "fortran_order") {
            fortran = p.boolean();
        } else if (key == "shape") {
            shape = p.shape();
        } else {
            p.fail("unknown key '" + key + "'");
        }
        if (!p.accept(',')) {
            p.expect('}');
            break;
        }
    }
    if (!p.at_end()) p.fail("trailing characters");
    if (!descr || !fortran || !shape) p.fail("expected the keys 'descr', 'fortran_order' and 'shape'");
    const auto layout = *fortran ? memory_order::fortran : memory_order::c;
    if (record) {
        auto meta = array_meta::contiguous_of(std::move(*record), std::move(*shape), layout);
        if (!meta.checked_nbytes()) in.fail("npy shape " + shape_text(meta.shape) + " overflows 64 bits");
        return meta;
    }
    const auto d = parse_numpy_descr(*descr);
    if (!d) throw unsupported_error(in.where(), "npy dtype '" + *descr + "' is not supported (bool, int8-64, uint8-64, float16-64, complex64/128, datetime64, timedelta64, S<n>, U<n>, V<n> and records are)");
    if (!d->type) throw unsupported_error(in.where(), "npy file of Python objects (dtype 'O', a pickle); not supported");
    auto meta = d->meta(std::move(*shape), layout);
    if (!meta.checked_nbytes()) in.fail("npy shape " + shape_text(meta.shape) + " overflows 64 bits");
    return meta;
}

std::string npy_header(const array_meta& meta) {
    const auto descr = numpy_descr_text(meta);
    const auto quoted = descr.starts_with('[') ? descr : "'" + descr + "'";
    std::string dict = "{'descr': " + quoted + ", 'fortran_order': " +
                       (meta.layout() == memory_order::fortran ? "True" : "False") + ", 'shape': " + shape_text(meta.shape) + ", }";
    const bool v1 = dict.size() + 1 + npy_magic_size + 4 <= 0xFFFF;
    const std::size_t prefix = npy_magic_size + 2 + (v1 ? 2 : 4);
    const std::size_t total = (prefix + dict.size() + 1 + header_alignment - 1) / header_alignment * header_alignment;
    dict.append(total - prefix - dict.size() - 1, ' ');
    dict.push_back('\n');
    std::string out(magic, npy_magic_size);
    out.push_back(static_cast<char>(v1 ? 1 : 2));
    out.push_back(0);
    const auto n = dict.size();
    if (v1) detail::append_le(out, static_cast<std::uint16_t>(n));
    else detail::append_le(out, static_cast<std::uint32_t>(n));
    return out + dict;
}

}  // namespace brine::interop
