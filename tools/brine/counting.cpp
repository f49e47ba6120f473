#include "counting.hpp"

#include <cstring>

namespace brine::cli {

namespace {
constexpr std::size_t chunk = 1 << 20;
}

counting_istreambuf::counting_istreambuf(std::streambuf& source, byte_counter on_bytes)
    : source_(source), on_bytes_(std::move(on_bytes)), buffer_(chunk) {}

counting_istreambuf::int_type counting_istreambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const auto n = source_.sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (n <= 0) return traits_type::eof();
    count_ += static_cast<std::uint64_t>(n);
    if (on_bytes_) on_bytes_(static_cast<std::uint64_t>(n));
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
}

void counting_istreambuf::drain() {
    setg(nullptr, nullptr, nullptr);
    while (underflow() != traits_type::eof()) setg(nullptr, nullptr, nullptr);
}

void counting_sink::write(std::span<const std::byte> bytes) {
    target_.write(bytes);
    if (on_bytes_) on_bytes_(bytes.size());
}

void counting_sink::finish() {
    finished_ = true;
    target_.finish();
}

sink_ostreambuf::sink_ostreambuf(io::sink& target) : target_(target), buffer_(chunk) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

void sink_ostreambuf::drain() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    if (n) target_.write(std::as_bytes(std::span(pbase(), n)));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

sink_ostreambuf::int_type sink_ostreambuf::overflow(int_type ch) {
    drain();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(ch);
        pbump(1);
    }
    return traits_type::not_eof(ch);
}

std::streamsize sink_ostreambuf::xsputn(const char* s, std::streamsize n) {
    // Large writes (array payloads) skip the buffer.
    if (static_cast<std::size_t>(n) >= buffer_.size() / 2) {
        drain();
        target_.write(std::as_bytes(std::span(s, static_cast<std::size_t>(n))));
        return n;
    }
    return std::streambuf::xsputn(s, n);
}

int sink_ostreambuf::sync() {
    drain();
    return 0;
}

}  // namespace brine::cli
