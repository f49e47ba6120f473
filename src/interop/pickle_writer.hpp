// Writes pickle opcodes (protocols 2 to 5) for data: the Python values a
// brine::value holds, and the globals numpy and joblib need. It keeps no
// memo (a brine::value is a tree) and writes no frames (optional in protocol
// 4+, and joblib wants array bytes outside frames anyway).
#pragma once

#include "interop/pickle_opcodes.hpp"
#include "model/byte_order.hpp"

#include <brine/io/sink.hpp>

#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace brine::interop {

class pickle_writer {
public:
    pickle_writer(io::sink& out, int protocol);  // writes PROTO
    ~pickle_writer();

    void op(pickle_op o) { put(static_cast<std::uint8_t>(o)); }
    void none() { op(pickle_op::none); }
    void boolean(bool b) { op(b ? pickle_op::newtrue : pickle_op::newfalse); }
    void integer(std::int64_t v);
    void integer(std::uint64_t v);
    void floating(double v);
    void complex(std::complex<double> v);
    void str(std::string_view utf8);
    void bytes(std::span<const std::byte> b);
    // As Python pickles one: BYTEARRAY8 (protocol 5), else builtins.bytearray
    // called with the bytes (or, protocol 2, latin-1 text).
    void bytearray(std::span<const std::byte> b);
    void global(std::string_view module, std::string_view name);
    // TUPLE1..3 or MARK ... TUPLE for the last `n` values written after
    // begin_tuple(n); EMPTY_TUPLE for n == 0.
    void begin_tuple(std::size_t n);
    void end_tuple(std::size_t n);

    // Raw bytes outside the pickle grammar (joblib's array data).
    void raw(std::span<const std::byte> b);
    void stop() { op(pickle_op::stop); }
    // Offset in the uncompressed stream (what joblib aligns to).
    std::uint64_t offset() const noexcept { return written_ + pending_.size(); }
    // Writes what is buffered; does not finish the sink.
    void flush();

private:
    void put(std::uint8_t b) {
        pending_.push_back(static_cast<std::byte>(b));
        if (pending_.size() >= flush_threshold) flush();
    }
    void put_le(std::uint64_t v, int n) {
        std::byte b[8];
        detail::store_le_n(b, v, static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) put(std::to_integer<std::uint8_t>(b[i]));
    }
    void put_bytes(std::span<const std::byte> b);
    static constexpr std::size_t flush_threshold = 1 << 16;
    io::sink& out_;
    int protocol_;
    std::vector<std::byte> pending_;
    std::uint64_t written_ = 0;
};

}  // namespace brine::interop
