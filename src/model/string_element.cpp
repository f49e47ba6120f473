// bytes and str elements <-> text (model/string_element.hpp).
#include <brine/model/string_element.hpp>

#include <brine/error.hpp>

#include <algorithm>
#include <cstring>

namespace brine {

namespace {

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {  // lone surrogates too, as 'surrogatepass' writes them
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The next code point of UTF-8 text (surrogates allowed, as above); nullopt
// for anything malformed, overlong or above U+10FFFF.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) noexcept {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t n;
    char32_t c;
    if (b0 < 0x80) n = 1, c = b0;
    else if ((b0 & 0xE0) == 0xC0) n = 2, c = b0 & 0x1F;
    else if ((b0 & 0xF0) == 0xE0) n = 3, c = b0 & 0x0F;
    else if ((b0 & 0xF8) == 0xF0) n = 4, c = b0 & 0x07;
    else return std::nullopt;
    if (text.size() - i < n) return std::nullopt;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return std::nullopt;
        c = c << 6 | (b & 0x3F);
    }
    constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < smallest[n] || c > 0x10FFFF) return std::nullopt;
    i += n;
    return c;
}

char32_t load_char(const std::byte* p, byte_order order) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    if (order != native_byte_order) v = __builtin_bswap32(v);
    return static_cast<char32_t>(v);
}

}  // namespace

std::optional<std::string> string_element_value(const array_meta& m, std::span<const std::byte> element) {
    if (m.dtype == dtype::bytes) {
        auto n = element.size();
        while (n > 0 && element[n - 1] == std::byte{0}) --n;
        return std::string(reinterpret_cast<const char*>(element.data()), n);
    }
    auto n = element.size() / 4;
    while (n > 0 && load_char(element.data() + 4 * (n - 1), m.order) == 0) --n;
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = load_char(element.data() + 4 * i, m.order);
        if (c > 0x10FFFF) return std::nullopt;
        append_utf8(out, c);
    }
    return out;
}

std::optional<std::uint64_t> string_element_width(dtype t, std::string_view text) noexcept {
    if (t == dtype::bytes) return text.size();
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++n)
        if (!next_code_point(text, i)) return std::nullopt;
    return n;
}

void put_string_element(const array_meta& m, std::span<std::byte> element, std::string_view text) noexcept {
    std::memset(element.data(), 0, element.size());
    if (m.dtype == dtype::bytes) {
        if (!text.empty()) std::memcpy(element.data(), text.data(), std::min(text.size(), element.size()));
        return;
    }
    std::size_t at = 0;
    for (std::size_t i = 0; i < text.size() && at + 4 <= element.size(); at += 4) {
        const auto c = next_code_point(text, i);
        if (!c) return;
        std::uint32_t v = *c;
        if (m.order != native_byte_order) v = __builtin_bswap32(v);
        std::memcpy(element.data() + at, &v, 4);
    }
}

array_meta string_array_meta(dtype t, std::span<const std::string> texts, std::vector<std::uint64_t> shape, memory_order order) {
    const location here{"<value>", std::nullopt};
    if (!has_width(t)) throw type_error(here, "a " + std::string(name(t)) + " array cannot hold strings (bytes and str can)");
    std::uint64_t width = 1;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto w = string_element_width(t, texts[i]);
        if (!w) throw type_error(here, "element " + std::to_string(i) + " is not UTF-8 text, which a str array needs");
        width = std::max(width, *w);
    }
    if (width > max_string_itemsize / itemsize(t))
        throw limit_error(here, "an element of " + std::to_string(width) + " characters (a " + std::string(name(t)) +
                                    " element holds at most " + std::to_string(max_string_itemsize) + " bytes)");
    return array_meta::contiguous_strings(t, static_cast<std::uint32_t>(width), std::move(shape), order);
}

}  // namespace brine
