#include <brine/error.hpp>
#include <brine/io/stream.hpp>

#include <istream>
#include <ostream>

namespace brine::io {

void ostream_sink::write(std::span<const std::byte> bytes) {
    out_.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out_) throw io_error({name_, std::nullopt}, "write failed (stream in error state)");
}

void ostream_sink::finish() {
    out_.flush();
    if (!out_) throw io_error({name_, std::nullopt}, "flush failed (stream in error state)");
}

std::size_t istream_source::read(std::span<std::byte> dst) {
    std::size_t done = 0;
    // istream::read sets failbit at end of input; keep reading until full or EOF.
    while (done < dst.size() && in_.good()) {
        in_.read(reinterpret_cast<char*>(dst.data() + done), static_cast<std::streamsize>(dst.size() - done));
        done += static_cast<std::size_t>(in_.gcount());
    }
    if (in_.bad()) throw io_error({name_, std::nullopt}, "read failed (stream in error state)");
    return done;
}

}  // namespace brine::io
