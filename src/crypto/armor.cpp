#include "crypto/armor.hpp"

#include <brine/error.hpp>

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace brine::crypto {
namespace {

constexpr std::size_t columns = 64;

class dearmoring final : public io::source {
public:
    explicit dearmoring(io::source& upstream) : in_(upstream), buffer_(64 << 10) {
        const auto first = next_line();
        if (!first || *first != armor_begin) fail("the line " + std::string(armor_begin));
    }

    std::size_t read(std::span<std::byte> dst) override {
        std::size_t n = 0;
        while (n < dst.size()) {
            if (out_pos_ == out_.size() && !decode_line()) break;
            const std::size_t k = std::min(dst.size() - n, out_.size() - out_pos_);
            std::memcpy(dst.data() + n, out_.data() + out_pos_, k);
            out_pos_ += k;
            n += k;
        }
        return n;
    }
    std::optional<std::uint64_t> input_left() const override {
        if (auto r = in_.input_left()) return *r + (end_ - pos_);
        return std::nullopt;
    }
    std::optional<std::uint64_t> remaining() const override { return input_left(); }
    std::string name() const override { return in_.name(); }

private:
    [[noreturn]] void fail(const std::string& expected) const {
        throw format_error({in_.name(), line_offset_}, "malformed age armor at line " + std::to_string(line_number_) +
                                                           ": expected " + expected);
    }

    // The next line without LF or CRLF; nullopt at end of input.
    std::optional<std::string> next_line() {
        std::string line;
        line_offset_ = consumed_;
        ++line_number_;
        while (true) {
            if (pos_ == end_) {
                pos_ = 0;
                end_ = in_.read(buffer_);
                if (!end_) return line.empty() ? std::nullopt : std::optional(line);
            }
            const auto* begin = reinterpret_cast<const char*>(buffer_.data()) + pos_;
            const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
            const std::size_t take = nl ? static_cast<std::size_t>(nl - begin) : end_ - pos_;
            line.append(begin, take);
            pos_ += take + (nl ? 1 : 0);
            consumed_ += take + (nl ? 1 : 0);
            if (line.size() > columns + 1) fail("lines of at most 64 base64 characters");
            if (nl) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return line;
            }
        }
    }

    // Decodes the next base64 line into out_; false after the END line.
    bool decode_line() {
        if (done_) return false;
        auto line = next_line();
        if (!line) fail("the line " + std::string(armor_end) + " (the armor is truncated)");
        if (*line == armor_end) {
            finish();
            return false;
        }
        if (last_seen_) fail("the END line after a short base64 line");
        if (line->size() > columns || line->empty() || line->size() % 4) fail("base64 lines of 64 characters, a multiple of 4 in the last");
        if (line->size() < columns) last_seen_ = true;
        out_.resize(line->size() / 4 * 3);
        std::size_t n = 0;
        const char* end = nullptr;
        if (sodium_base642bin(reinterpret_cast<unsigned char*>(out_.data()), out_.size(), line->data(), line->size(),
                              nullptr, &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            end != line->data() + line->size())
            fail("canonical padded base64");
        if (line->find('=') != std::string::npos) last_seen_ = true;  // padding only on the last line
        out_.resize(n);
        out_pos_ = 0;
        return true;
    }

    // After the END line only whitespace may follow.
    void finish() {
        done_ = true;
        while (true) {
            for (; pos_ < end_; ++pos_, ++consumed_)
                if (!std::isspace(std::to_integer<unsigned char>(buffer_[pos_]))) {
                    line_offset_ = consumed_;
                    fail("nothing but whitespace after the END line");
                }
            pos_ = 0;
            end_ = in_.read(buffer_);
            if (!end_) return;
        }
    }

    io::source& in_;
    std::vector<std::byte> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t consumed_ = 0, line_offset_ = 0, line_number_ = 0;
    std::vector<std::byte> out_;
    std::size_t out_pos_ = 0;
    bool last_seen_ = false, done_ = false;
};

}  // namespace

std::unique_ptr<io::source> dearmoring_source(io::source& upstream) { return std::make_unique<dearmoring>(upstream); }

}  // namespace brine::crypto
