#include "crypto/age_header.hpp"

#include "crypto/base64.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <string_view>

namespace brine::crypto {
namespace {

constexpr std::size_t column_limit = 64;  // base64 characters per body line

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

class line_parser {
public:
    line_parser(std::span<const std::byte> bytes, const std::string& name)
        : text_(reinterpret_cast<const char*>(bytes.data()), bytes.size()), name_(name) {}

    // The next line without its line feed; nullopt when no line feed follows yet.
    std::optional<std::string_view> next_line() {
        const auto end = text_.find('\n', pos_);
        if (end == std::string_view::npos) {
            if (text_.size() > max_header_size) fail(pos_, "an age header of at most 1 MiB");
            return std::nullopt;
        }
        line_start_ = pos_;
        pos_ = end + 1;
        return text_.substr(line_start_, end - line_start_);
    }
    std::size_t line_start() const { return line_start_; }
    std::size_t position() const { return pos_; }

    [[noreturn]] void fail(std::size_t offset, const std::string& expected) const {
        throw format_error({name_, offset}, "malformed age header: expected " + expected);
    }

private:
    std::string_view text_;
    const std::string& name_;
    std::size_t pos_ = 0, line_start_ = 0;
};

std::vector<std::string> split_args(std::string_view line, const line_parser& p) {
    std::vector<std::string> args;
    std::size_t i = 3;  // after "-> "
    while (true) {
        const auto space = line.find(' ', i);
        const auto arg = line.substr(i, space == std::string_view::npos ? std::string_view::npos : space - i);
        if (arg.empty() || !std::all_of(arg.begin(), arg.end(), [](char c) { return c >= 0x21 && c <= 0x7e; }))
            p.fail(p.line_start() + i, "stanza arguments of visible ASCII separated by single spaces");
        args.emplace_back(arg);
        if (space == std::string_view::npos) break;
        i = space + 1;
    }
    return args;
}

}  // namespace

std::optional<age_header> parse_age_header(std::span<const std::byte> bytes, const std::string& name) {
    line_parser p(bytes, name);
    auto line = p.next_line();
    if (!line) return std::nullopt;
    if (std::string(*line) + "\n" != age_version_line) {
        if (line->starts_with("age-encryption.org/"))
            throw unsupported_error({name, 0}, "age format version \"" + std::string(line->substr(19)) +
                                                   "\" is not supported (this reader knows v1)");
        p.fail(0, "the version line \"age-encryption.org/v1\"");
    }
    age_header h;
    while (true) {
        line = p.next_line();
        if (!line) return std::nullopt;
        if (line->starts_with("---")) {
            if (h.stanzas.empty()) p.fail(p.line_start(), "at least one recipient stanza before the MAC");
            if (line->size() != 4 + 43 || (*line)[3] != ' ')
                p.fail(p.line_start(), "the MAC line \"--- \" followed by 43 base64 characters");
            const auto mac = base64_decode(line->substr(4));
            if (!mac || mac->size() != 32) p.fail(p.line_start() + 4, "a canonical base64 MAC of 32 bytes");
            std::copy(mac->begin(), mac->end(), h.mac.begin());
            h.mac_input_size = p.line_start() + 3;
            h.size = p.position();
            return h;
        }
        if (!line->starts_with("-> ")) p.fail(p.line_start(), "a recipient stanza (\"-> \") or the MAC line (\"--- \")");
        stanza s;
        s.args = split_args(*line, p);
        std::string body;
        while (true) {
            auto body_line = p.next_line();
            if (!body_line) return std::nullopt;
            if (body_line->size() > column_limit || !std::all_of(body_line->begin(), body_line->end(), is_base64_char))
                p.fail(p.line_start(), "a stanza body line of at most 64 base64 characters");
            body += *body_line;
            if (body_line->size() < column_limit) break;  // the final line is shorter, maybe empty
        }
        auto decoded = base64_decode(body);
        if (!decoded) p.fail(p.line_start(), "a stanza body in canonical base64");
        s.body = std::move(*decoded);
        h.stanzas.push_back(std::move(s));
    }
}

std::string format_age_header(const std::vector<stanza>& stanzas) {
    std::string out(age_version_line);
    for (const auto& s : stanzas) {
        out += "->";
        for (const auto& a : s.args) out += " " + a;
        out += '\n';
        const std::string body = base64_encode(s.body);
        std::size_t i = 0;
        for (; body.size() - i >= column_limit; i += column_limit) out += body.substr(i, column_limit) + "\n";
        out += body.substr(i) + "\n";  // shorter than 64, possibly empty
    }
    out += "---";
    return out;
}

}  // namespace brine::crypto
