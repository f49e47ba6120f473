#include "interop/pickle_writer.hpp"
#include "model/byte_order.hpp"

#include "interop/text_encoding.hpp"

#include <brine/error.hpp>

#include <bit>
#include <limits>

namespace brine::interop {

pickle_writer::pickle_writer(io::sink& out, int protocol) : out_(out), protocol_(protocol) {
    if (protocol < 2 || protocol > highest_pickle_protocol)
        throw unsupported_error({out.name(), std::nullopt}, "pickle protocol " + std::to_string(protocol) + "; brine writes protocols 2 to 5");
    op(pickle_op::proto);
    put(static_cast<std::uint8_t>(protocol));
}

pickle_writer::~pickle_writer() = default;

void pickle_writer::flush() {
    if (pending_.empty()) return;
    out_.write(pending_);
    written_ += pending_.size();
    pending_.clear();
}

void pickle_writer::put_bytes(std::span<const std::byte> b) {
    if (b.size() >= flush_threshold) {
        flush();
        out_.write(b);
        written_ += b.size();
    } else {
        pending_.insert(pending_.end(), b.begin(), b.end());
        if (pending_.size() >= flush_threshold) flush();
    }
}

void pickle_writer::raw(std::span<const std::byte> b) { put_bytes(b); }

void pickle_writer::integer(std::int64_t v) {
    if (v >= 0 && v <= 0xFF) {
        op(pickle_op::binint1);
        put(static_cast<std::uint8_t>(v));
    } else if (v >= 0 && v <= 0xFFFF) {
        op(pickle_op::binint2);
        put_le(static_cast<std::uint64_t>(v), 2);
    } else if (v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max()) {
        op(pickle_op::binint);
        put_le(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
    } else {
        // LONG1: the shortest little-endian two's complement.
        int n = 8;
        while (n > 1) {
            const auto shifted = v >> (8 * (n - 1) - 1);  // the top byte and the sign bit below it
            if (shifted != 0 && shifted != -1) break;
            --n;
        }
        op(pickle_op::long1);
        put(static_cast<std::uint8_t>(n));
        put_le(static_cast<std::uint64_t>(v), n);
    }
}

void pickle_writer::integer(std::uint64_t v) {
    if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return integer(static_cast<std::int64_t>(v));
    op(pickle_op::long1);  // 8 bytes and a zero sign byte
    put(9);
    put_le(v, 8);
    put(0);
}

void pickle_writer::floating(double v) {
    op(pickle_op::binfloat);
    const auto bits = std::bit_cast<std::uint64_t>(v);
    std::byte b[8];
    detail::store_be(b, bits);  // pickle's floats are big-endian
    for (const auto x : b) put(std::to_integer<std::uint8_t>(x));
}

void pickle_writer::complex(std::complex<double> v) {
    global("builtins", "complex");
    floating(v.real());
    floating(v.imag());
    op(pickle_op::tuple2);
    op(pickle_op::reduce);
}

void pickle_writer::str(std::string_view s) {
    if (protocol_ >= 4 && s.size() < 256) {
        op(pickle_op::short_binunicode);
        put(static_cast<std::uint8_t>(s.size()));
    } else if (s.size() <= 0xFFFFFFFFu) {
        op(pickle_op::binunicode);
        put_le(s.size(), 4);
    } else if (protocol_ >= 4) {
        op(pickle_op::binunicode8);
        put_le(s.size(), 8);
    } else {
        throw unsupported_error({out_.name(), offset()}, "a string of 4 GiB or more needs pickle protocol 4");
    }
    put_bytes(std::as_bytes(std::span(s.data(), s.size())));
}

void pickle_writer::bytes(std::span<const std::byte> b) {
    if (protocol_ < 3) {
        // Protocol 2 has no bytes type: Python 3 writes _codecs.encode(latin-1 text, 'latin1').
        global("_codecs", "encode");
        str(latin1_to_utf8({reinterpret_cast<const char*>(b.data()), b.size()}));
        str("latin1");
        op(pickle_op::tuple2);
        op(pickle_op::reduce);
        return;
    }
    if (b.size() < 256) {
        op(pickle_op::short_binbytes);
        put(static_cast<std::uint8_t>(b.size()));
    } else if (b.size() <= 0xFFFFFFFFu) {
        op(pickle_op::binbytes);
        put_le(b.size(), 4);
    } else if (protocol_ >= 4) {
        op(pickle_op::binbytes8);
        put_le(b.size(), 8);
    } else {
        throw unsupported_error({out_.name(), offset()}, "bytes of 4 GiB or more need pickle protocol 4");
    }
    put_bytes(b);
}

void pickle_writer::bytearray(std::span<const std::byte> b) {
    if (protocol_ >= 5) {
        op(pickle_op::bytearray8);
        put_le(b.size(), 8);
        put_bytes(b);
        return;
    }
    global("builtins", "bytearray");
    if (protocol_ < 3) {
        str(latin1_to_utf8({reinterpret_cast<const char*>(b.data()), b.size()}));
        str("latin-1");
        op(pickle_op::tuple2);
    } else {
        bytes(b);
        op(pickle_op::tuple1);
    }
    op(pickle_op::reduce);
}

void pickle_writer::global(std::string_view module, std::string_view name) {
    op(pickle_op::global);
    put_bytes(std::as_bytes(std::span(module.data(), module.size())));
    put('\n');
    put_bytes(std::as_bytes(std::span(name.data(), name.size())));
    put('\n');
}

void pickle_writer::begin_tuple(std::size_t n) {
    if (n > 3) op(pickle_op::mark);
}

void pickle_writer::end_tuple(std::size_t n) {
    switch (n) {
    case 0: op(pickle_op::empty_tuple); break;
    case 1: op(pickle_op::tuple1); break;
    case 2: op(pickle_op::tuple2); break;
    case 3: op(pickle_op::tuple3); break;
    default: op(pickle_op::tuple); break;
    }
}

}  // namespace brine::interop
