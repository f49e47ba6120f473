// scalar: little-endian record bytes, exact comparison, text.
#include <brine/model/scalar.hpp>

#include "model/byte_order.hpp"
#include "model/number_format.hpp"

#include <bit>
#include <cstring>

namespace brine {

namespace {

using detail::load_le;
using detail::store_le;

template <class F, class U>
F load_le_float(const std::byte* p) noexcept { return std::bit_cast<F>(load_le<U>(p)); }

}  // namespace

scalar scalar::from_le_bytes(dtype t, const std::byte* b, datetime_unit unit) noexcept {
    switch (t) {
    case dtype::datetime64:
    case dtype::timedelta64: return time(t, static_cast<std::int64_t>(load_le<std::uint64_t>(b)), unit);
    case dtype::bool_: return scalar(b[0] != std::byte{0});
    case dtype::int8: return scalar(static_cast<std::int8_t>(load_le<std::uint8_t>(b)));
    case dtype::int16: return scalar(static_cast<std::int16_t>(load_le<std::uint16_t>(b)));
    case dtype::int32: return scalar(static_cast<std::int32_t>(load_le<std::uint32_t>(b)));
    case dtype::int64: return scalar(static_cast<std::int64_t>(load_le<std::uint64_t>(b)));
    case dtype::uint8: return scalar(load_le<std::uint8_t>(b));
    case dtype::uint16: return scalar(load_le<std::uint16_t>(b));
    case dtype::uint32: return scalar(load_le<std::uint32_t>(b));
    case dtype::uint64: return scalar(load_le<std::uint64_t>(b));
    case dtype::float16: {
        // No C++20 half type: keep the value as double, tagged float16.
        scalar s(static_cast<double>(half_to_float(load_le<std::uint16_t>(b))));
        s.type_ = dtype::float16;
        return s;
    }
    case dtype::float32: return scalar(load_le_float<float, std::uint32_t>(b));
    case dtype::float64: return scalar(load_le_float<double, std::uint64_t>(b));
    case dtype::complex64:
        return scalar(std::complex<float>(load_le_float<float, std::uint32_t>(b),
                                          load_le_float<float, std::uint32_t>(b + 4)));
    case dtype::complex128:
        return scalar(std::complex<double>(load_le_float<double, std::uint64_t>(b),
                                           load_le_float<double, std::uint64_t>(b + 8)));
    case dtype::bytes:
    case dtype::str:
    case dtype::record: return scalar();  // no scalar form (is_sized)
    }
    return scalar();
}

void scalar::to_le_bytes(std::byte* out) const noexcept {
    switch (type_) {
    case dtype::bool_: out[0] = std::byte{i_ != 0}; return;
    case dtype::int8: store_le(out, static_cast<std::uint8_t>(i_)); return;
    case dtype::int16: store_le(out, static_cast<std::uint16_t>(i_)); return;
    case dtype::int32: store_le(out, static_cast<std::uint32_t>(i_)); return;
    case dtype::int64:
    case dtype::datetime64:
    case dtype::timedelta64: store_le(out, static_cast<std::uint64_t>(i_)); return;
    case dtype::uint8: store_le(out, static_cast<std::uint8_t>(u_)); return;
    case dtype::uint16: store_le(out, static_cast<std::uint16_t>(u_)); return;
    case dtype::uint32: store_le(out, static_cast<std::uint32_t>(u_)); return;
    case dtype::uint64: store_le(out, u_); return;
    case dtype::float16: store_le(out, float_to_half(static_cast<float>(re_))); return;
    case dtype::float32: store_le(out, std::bit_cast<std::uint32_t>(static_cast<float>(re_))); return;
    case dtype::float64: store_le(out, std::bit_cast<std::uint64_t>(re_)); return;
    case dtype::complex64:
        store_le(out, std::bit_cast<std::uint32_t>(static_cast<float>(re_)));
        store_le(out + 4, std::bit_cast<std::uint32_t>(static_cast<float>(im_)));
        return;
    case dtype::complex128:
        store_le(out, std::bit_cast<std::uint64_t>(re_));
        store_le(out + 8, std::bit_cast<std::uint64_t>(im_));
        return;
    case dtype::bytes:
    case dtype::str:
    case dtype::record: return;  // never a scalar's dtype
    }
}

bool operator==(const scalar& a, const scalar& b) noexcept {
    if (a.type_ != b.type_) return false;
    switch (kind(a.type_)) {
    case dtype_kind::boolean: case dtype_kind::signed_int: return a.i_ == b.i_;
    case dtype_kind::unsigned_int: return a.u_ == b.u_;
    case dtype_kind::floating: return detail::same_number(a.re_, b.re_);
    case dtype_kind::complex: return detail::same_number(a.re_, b.re_) && detail::same_number(a.im_, b.im_);
    case dtype_kind::datetime: case dtype_kind::timedelta: return a.i_ == b.i_ && a.u_ == b.u_;
    case dtype_kind::string: case dtype_kind::record: return true;  // never a scalar's dtype
    }
    return false;
}

std::string scalar::to_string() const {
    std::string s;
    detail::append_number(s, *this, {});
    return s;
}

}  // namespace brine
