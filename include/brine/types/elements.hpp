// Array payloads to C++ elements: byte-order swapping, lossless dtype
// conversion, and reading a payload through one bounded buffer. Shared by the
// sequence and xtensor support (and by scalars loaded from 0-d arrays).
//
// Loading never needs a temporary the size of the array: either the payload
// is read straight into the destination's memory (same dtype), or it passes
// through a buffer of at most `chunk_bytes` and is converted from there.
#pragma once

#include <brine/model/dtype.hpp>
#include <brine/model/array_meta.hpp>
#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/buffer.hpp>

#include <algorithm>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

namespace brine::detail {

// The bounded working buffer of every chunked conversion (load and save).
inline constexpr std::size_t chunk_bytes = std::size_t{1} << 16;

static_assert(sizeof(bool) == 1, "brine stores bool as one byte, like numpy");

// A stored bool byte may hold any value; only 0 is false. Reading such a byte
// as a C++ bool would be undefined, so bool data is normalized to 0/1 first.
inline void normalize_bools(std::span<std::byte> data) noexcept {
    for (auto& b : data) b = std::byte{b != std::byte{0}};
}

// How the bytes of each dtype are read: the table's storage type, except
// that bool is read as its byte (stored_bool), which may hold any value.
struct stored_bool { std::uint8_t byte; };

template <class F>
decltype(auto) with_stored_type(dtype t, F&& f) {
    return visit_dtype(t, [&]<class S>() -> decltype(auto) {
        if constexpr (std::is_same_v<S, bool>) return f.template operator()<stored_bool>();
        else return f.template operator()<S>();
    });
}

template <class T> inline constexpr bool is_complex_v = false;
template <class T> inline constexpr bool is_complex_v<std::complex<T>> = true;

// One stored value as T. Every (S, T) pair must compile because the stored
// dtype is only known at run time; the caller has already checked
// converts_losslessly, so the lossy branches are never taken.
template <class T, class S>
T convert_one(S s) noexcept {
    if constexpr (std::is_same_v<S, stored_bool>) return static_cast<T>(s.byte != 0);
    else if constexpr (std::is_same_v<S, float16_bits>) return convert_one<T>(half_to_float(s.bits));
    else if constexpr (std::is_same_v<T, bool>) return false;  // only bool converts to bool
    else if constexpr (is_complex_v<T> && is_complex_v<S>)
        return T(static_cast<typename T::value_type>(s.real()), static_cast<typename T::value_type>(s.imag()));
    else if constexpr (is_complex_v<T>) return T(static_cast<typename T::value_type>(s));
    else if constexpr (is_complex_v<S>) return T{};
    else return static_cast<T>(s);
}

// Converts `n` elements of dtype `from`, native byte order, starting at `src`
// (no alignment required) into `dst`.
template <element T>
void convert_elements(dtype from, const std::byte* src, T* dst, std::size_t n) noexcept {
    if (from == dtype_of<T> && !std::is_same_v<T, bool>) {
        std::memcpy(dst, src, n * sizeof(T));
        return;
    }
    with_stored_type(from, [&]<class S>() {
        for (std::size_t i = 0; i < n; ++i) {
            S s;
            std::memcpy(&s, src + i * sizeof(S), sizeof(S));
            dst[i] = convert_one<T>(s);
        }
    });
}

// Writes `count` elements from an input iterator as array payload (after
// writer::begin_array), through one buffer of at most chunk_bytes: for data
// that is not contiguous in memory (deque, list, vector<bool>, xtensor views
// and expressions), so saving never builds a whole-array temporary.
template <element T, class It>
void write_elements_chunked(format::writer& w, It first, std::uint64_t count) {
    const auto capacity = static_cast<std::size_t>(std::min<std::uint64_t>(count, chunk_bytes / sizeof(T)));
    auto buffer = std::make_unique_for_overwrite<T[]>(capacity);
    for (std::uint64_t done = 0; done < count;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, count - done));
        for (std::size_t i = 0; i < n; ++i, ++first) buffer[i] = static_cast<T>(*first);
        w.write_array_data(std::as_bytes(std::span<const T>(buffer.get(), n)));
        done += n;
    }
}

// Hands the current array's payload (after reader::begin_array) to
// `consume(std::span<const std::byte>)` in chunks of whole elements, in
// stored order and native byte order, through one buffer of at most
// chunk_bytes. Memory grows with nothing but what the consumer keeps.
template <class Consume>
void for_each_payload_chunk(format::reader& r, const array_meta& m, Consume&& consume) {
    const std::size_t item = itemsize(m.dtype);
    const std::uint64_t total = m.nbytes();
    const std::size_t per_chunk = (chunk_bytes / item) * item;
    const auto buffer_size = static_cast<std::size_t>(std::min<std::uint64_t>(total, per_chunk));
    auto buffer = std::make_unique_for_overwrite<std::byte[]>(buffer_size);
    for (std::uint64_t done = 0; done < total;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(per_chunk, total - done));
        std::span<std::byte> chunk(buffer.get(), n);
        r.read_array_data(chunk);
        if (m.order != native_byte_order) swap_byte_order(chunk, m.dtype);
        consume(std::span<const std::byte>(chunk));
        done += n;
    }
}

// The same for a payload already taken whole (reader::take_array_data(false)
// returns owned memory, so it is swapped in place). Each chunk's memory is
// given back once consumed: the payload is read exactly once, by this loop.
template <class Consume>
void for_each_payload_chunk(io::buffer& payload, const array_meta& m, Consume&& consume) {
    const std::size_t per_chunk = (chunk_bytes / itemsize(m.dtype)) * itemsize(m.dtype);
    std::span<std::byte> all = payload.bytes();
    for (std::size_t done = 0; done < all.size(); done += per_chunk) {
        auto chunk = all.subspan(done, std::min(per_chunk, all.size() - done));
        if (m.order != native_byte_order) swap_byte_order(chunk, m.dtype);
        consume(std::span<const std::byte>(chunk));
        payload.discard(chunk);
    }
}

// Reads the current array's elements, in stored order, into `dst`
// (dst.size() == m.size()). Same dtype: straight into dst, then fixed up in
// place (byte order, bool normalization). Other dtypes: converted chunk by
// chunk. The caller checked converts_losslessly(m.dtype, dtype_of<T>).
template <element T>
void read_elements(format::reader& r, const array_meta& m, std::span<T> dst) {
    if (m.dtype == dtype_of<T>) {
        auto bytes = std::as_writable_bytes(dst);
        if (!bytes.empty()) r.read_array_data(bytes);
        if (m.order != native_byte_order) swap_byte_order(bytes, m.dtype);
        if constexpr (std::is_same_v<T, bool>) normalize_bools(bytes);
        return;
    }
    std::size_t done = 0;
    for_each_payload_chunk(r, m, [&](std::span<const std::byte> chunk) {
        const std::size_t n = chunk.size() / itemsize(m.dtype);
        convert_elements(m.dtype, chunk.data(), dst.data() + done, n);
        done += n;
    });
}

// Reads the current array's elements, converted to T, and hands them to
// `append(std::span<const T>)` in bounded chunks: for destinations that grow
// as data arrives (so a false size in the file allocates nothing).
template <element T, class Append>
void read_elements_appending(format::reader& r, const array_meta& m, Append&& append) {
    const std::size_t per_chunk = chunk_bytes / itemsize(m.dtype);
    const auto converted_size = static_cast<std::size_t>(std::min<std::uint64_t>(m.size(), per_chunk));
    auto converted = std::make_unique_for_overwrite<T[]>(converted_size);
    for_each_payload_chunk(r, m, [&](std::span<const std::byte> chunk) {
        const std::size_t n = chunk.size() / itemsize(m.dtype);
        convert_elements(m.dtype, chunk.data(), converted.get(), n);
        append(std::span<const T>(converted.get(), n));
    });
}

}  // namespace brine::detail
