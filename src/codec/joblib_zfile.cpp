#include "joblib_zfile.hpp"

#include "deflate_engine.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace brine::codec {
namespace {

constexpr std::string_view zfile_prefix = "ZF";
// len("0x10000000000000000"): joblib pads the length field to the width of
// 2**64 in hex.
constexpr std::size_t length_field = 19;
constexpr std::size_t header_size = zfile_prefix.size() + length_field;

bool is_length_char(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x' || c == 'X' || c == ' ';
}

// The length field: optional "0x", hex digits, spaces after. nullopt if
// it is anything else.
std::optional<std::uint64_t> parse_length(std::string_view field) {
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    if (field.starts_with("0x") || field.starts_with("0X")) field.remove_prefix(2);
    if (field.empty() || field.size() > 16) return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : field) {
        unsigned digit;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        n = n << 4 | digit;
    }
    return n;
}

class zlib_or_zfile_decoder final : public stream_decoder {
public:
    decode_status decode(std::span<const std::byte>& in, std::span<std::byte>& out, bool input_ended) override {
        if (state_ == state::detect) {
            if (in.empty()) return decode_status::more;
            state_ = std::to_integer<char>(in[0]) == zfile_prefix[0] ? state::header : state::body;
        }
        if (state_ == state::header && !read_header(in, input_ended)) return decode_status::more;
        if (!declared_) return inflater_->decode(in, out, input_ended);

        // Never more than the header declared: the output is cut one byte
        // past it, so a longer stream is caught before it is written.
        const std::uint64_t left = *declared_ - produced_;
        const std::uint64_t room = left == std::numeric_limits<std::uint64_t>::max() ? left : left + 1;
        auto limited = out.first(static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), room)));
        const std::size_t before = limited.size();
        const auto status = inflater_->decode(in, limited, input_ended);
        const std::size_t made = before - limited.size();
        produced_ += made;
        out = out.subspan(made);
        if (produced_ > *declared_)
            throw bad_data{"the zlib stream holds more than the " + std::to_string(*declared_) + " bytes its Z-file header declares",
                           "exactly the declared length"};
        if (status == decode_status::stream_end && produced_ != *declared_)
            throw bad_data{"the zlib stream holds " + std::to_string(produced_) + " bytes, but its Z-file header declares " +
                               std::to_string(*declared_),
                           "exactly the declared length"};
        return status;
    }

    void restart() override {
        inflater_->restart();
        state_ = state::detect;
        header_.clear();
        declared_.reset();
        produced_ = 0;
    }

private:
    // Collects the header, then looks at the byte after it: a space there
    // is Python 2 joblib's wider field (a zlib stream never starts with one).
    bool read_header(std::span<const std::byte>& in, bool input_ended) {
        while (header_.size() < header_size && !in.empty()) {
            header_.push_back(std::to_integer<char>(in[0]));
            in = in.subspan(1);
        }
        if (header_.size() < header_size || in.empty()) {
            if (!input_ended) return false;
            throw bad_data{"the input ends inside a joblib Z-file header", "\"ZF\", a 19-byte hex length, then a zlib stream"};
        }
        const std::string_view h(header_);
        const auto length = h.starts_with(zfile_prefix) ? parse_length(h.substr(zfile_prefix.size())) : std::nullopt;
        if (!length)
            throw bad_data{"a malformed joblib Z-file header", "\"ZF\" and the raw length in hex, padded with spaces to 19 bytes"};
        if (std::to_integer<char>(in[0]) == ' ') in = in.subspan(1);
        declared_ = *length;
        state_ = state::body;
        return true;
    }

    enum class state { detect, header, body };
    std::unique_ptr<stream_decoder> inflater_ = deflate::make_inflater(15);
    state state_ = state::detect;
    std::string header_;
    std::optional<std::uint64_t> declared_;
    std::uint64_t produced_ = 0;
};

}  // namespace

bool is_joblib_zfile(std::span<const std::byte> prefix) noexcept {
    // "ZF" and the start of the length field; callers may pass more.
    constexpr std::size_t checked = 6;
    if (prefix.size() < 3) return false;
    for (std::size_t i = 0; i < std::min(prefix.size(), checked); ++i) {
        const char c = std::to_integer<char>(prefix[i]);
        if (i < zfile_prefix.size() ? c != zfile_prefix[i] : !is_length_char(c)) return false;
    }
    return true;
}

std::unique_ptr<stream_decoder> make_zlib_or_zfile_decoder() { return std::make_unique<zlib_or_zfile_decoder>(); }

}  // namespace brine::codec
