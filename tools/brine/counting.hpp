// Stream adapters that count bytes as they pass, so `convert` can show how
// far it got and `ls` can tell how large a compressed joblib file is once
// decoded, without any format knowledge: they only see bytes.
#pragma once

#include <brine/io/sink.hpp>

#include <cstdint>
#include <functional>
#include <streambuf>
#include <vector>

namespace brine::cli {

using byte_counter = std::function<void(std::uint64_t)>;

// Reads from another streambuf, reporting every chunk to `on_bytes`.
class counting_istreambuf final : public std::streambuf {
public:
    counting_istreambuf(std::streambuf& source, byte_counter on_bytes);
    std::uint64_t count() const noexcept { return count_; }
    // Reads (and counts) whatever the reader left unread.
    void drain();

protected:
    int_type underflow() override;

private:
    std::streambuf& source_;
    byte_counter on_bytes_;
    std::vector<char> buffer_;
    std::uint64_t count_ = 0;
};

// Forwards to another sink, reporting every write to `on_bytes`.
class counting_sink final : public io::sink {
public:
    counting_sink(io::sink& target, byte_counter on_bytes) : target_(target), on_bytes_(std::move(on_bytes)) {}
    void write(std::span<const std::byte> bytes) override;
    void finish() override;
    std::string name() const override { return target_.name(); }
    bool finished() const noexcept { return finished_; }

private:
    io::sink& target_;
    byte_counter on_bytes_;
    bool finished_ = false;
};

// A std::ostream's buffer that writes into an io::sink, for the library
// calls that take an ostream. sync() (flush) hands the buffer to the sink;
// it never finishes the sink.
class sink_ostreambuf final : public std::streambuf {
public:
    explicit sink_ostreambuf(io::sink& target);

protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    void drain();
    io::sink& target_;
    std::vector<char> buffer_;
};

}  // namespace brine::cli
