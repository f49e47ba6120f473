#include "interop/zip_writer.hpp"
#include "model/byte_order.hpp"

#include "interop/zip_format.hpp"

#include <brine/error.hpp>

#include <zlib.h>

#include <algorithm>

namespace brine::interop {

namespace {

// Little-endian record under construction.
class record {
public:
    template <class Uint> record& le(Uint v) {
        detail::append_le(b_, v);
        return *this;
    }
    record& text(const std::string& s) {
        for (const char c : s) b_.push_back(static_cast<std::byte>(c));
        return *this;
    }
    record& zeros(std::size_t n) {
        b_.insert(b_.end(), n, std::byte{0});
        return *this;
    }
    std::size_t size() const noexcept { return b_.size(); }
    std::span<const std::byte> bytes() const noexcept { return b_; }

private:
    std::vector<std::byte> b_;
};

// A fixed timestamp (1980-01-01 00:00, the DOS epoch) keeps output reproducible.
constexpr std::uint16_t dos_time = 0, dos_date = (0 << 9) | (1 << 5) | 1;

std::uint32_t crc_of(std::span<const std::span<const std::byte>> parts) {
    uLong crc = crc32(0, nullptr, 0);
    for (auto p : parts)
        while (!p.empty()) {
            const auto n = std::min<std::size_t>(p.size(), 1u << 30);
            crc = crc32(crc, reinterpret_cast<const Bytef*>(p.data()), static_cast<uInt>(n));
            p = p.subspan(n);
        }
    return static_cast<std::uint32_t>(crc);
}

std::uint64_t total_size(std::span<const std::span<const std::byte>> parts) {
    std::uint64_t n = 0;
    for (const auto p : parts) n += p.size();
    return n;
}

std::uint32_t narrow_or_saturate(std::uint64_t v, bool zip64) {
    return zip64 ? zip::saturated32 : static_cast<std::uint32_t>(v);
}

}  // namespace

zip_writer::zip_writer(io::sink& out, bool force_zip64) : out_(out), force_zip64_(force_zip64) {}
zip_writer::~zip_writer() = default;

void zip_writer::put(std::span<const std::byte> b) {
    out_.write(b);
    offset_ += b.size();
}

bool zip_writer::needs_zip64(const entry& e) const {
    return force_zip64_ || e.size >= zip::saturated32 || e.compressed_size >= zip::saturated32 || e.local_offset >= zip::saturated32;
}

void zip_writer::add_stored(const std::string& name, std::span<const std::span<const std::byte>> parts, std::size_t data_alignment) {
    const auto size = total_size(parts);
    add({name, zip::method_stored, crc_of(parts), size, size, offset_}, parts, data_alignment);
}

void zip_writer::add_deflated(const std::string& name, std::span<const std::span<const std::byte>> parts, int level) {
    // The local header needs the compressed size first, so deflate into memory.
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw unsupported_error({out_.name(), offset_}, "zlib refused deflate level " + std::to_string(level));
    std::vector<std::byte> packed;
    std::byte chunk[1 << 16];
    auto pump = [&](int flush) {
        int rc;
        do {
            z.next_out = reinterpret_cast<Bytef*>(chunk);
            z.avail_out = sizeof chunk;
            rc = deflate(&z, flush);
            packed.insert(packed.end(), chunk, chunk + (sizeof chunk - z.avail_out));
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    };
    for (auto p : parts)
        while (!p.empty()) {
            const auto n = std::min<std::size_t>(p.size(), 1u << 30);
            z.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(p.data()));
            z.avail_in = static_cast<uInt>(n);
            pump(Z_NO_FLUSH);
            p = p.subspan(n);
        }
    pump(Z_FINISH);
    deflateEnd(&z);
    const std::span<const std::byte> packed_part[] = {packed};
    add({name, zip::method_deflated, crc_of(parts), packed.size(), total_size(parts), offset_}, packed_part, 1);
}

void zip_writer::add(entry e, std::span<const std::span<const std::byte>> data, std::size_t data_alignment) {
    const bool zip64 = needs_zip64(e);
    record h;
    h.le(zip::local_header_signature).le<std::uint16_t>(zip64 ? 45 : 20).le<std::uint16_t>(0).le(e.method);
    h.le(dos_time).le(dos_date).le(e.crc);
    h.le(narrow_or_saturate(e.compressed_size, zip64)).le(narrow_or_saturate(e.size, zip64));
    const std::size_t zip64_extra = zip64 ? 4 + 16 : 0;
    std::size_t padding_extra = 0;
    if (data_alignment > 1) {
        const auto unpadded = offset_ + zip::local_header_size + e.name.size() + zip64_extra;
        if (unpadded % data_alignment) {
            padding_extra = data_alignment - unpadded % data_alignment;
            while (padding_extra < 4) padding_extra += data_alignment;  // an extra field needs its 4-byte head
        }
    }
    h.le(static_cast<std::uint16_t>(e.name.size())).le(static_cast<std::uint16_t>(zip64_extra + padding_extra)).text(e.name);
    if (zip64) h.le(zip::zip64_extra_id).le<std::uint16_t>(16).le(e.size).le(e.compressed_size);
    if (padding_extra) h.le(zip::alignment_extra_id).le(static_cast<std::uint16_t>(padding_extra - 4)).zeros(padding_extra - 4);
    put(h.bytes());
    for (const auto p : data) put(p);
    entries_.push_back(std::move(e));
}

void zip_writer::finish() {
    const auto cd_offset = offset_;
    for (const auto& e : entries_) {
        const bool zip64 = needs_zip64(e);
        record c;
        c.le(zip::central_header_signature).le<std::uint16_t>(45).le<std::uint16_t>(zip64 ? 45 : 20).le<std::uint16_t>(0).le(e.method);
        c.le(dos_time).le(dos_date).le(e.crc);
        c.le(narrow_or_saturate(e.compressed_size, zip64)).le(narrow_or_saturate(e.size, zip64));
        c.le(static_cast<std::uint16_t>(e.name.size())).le<std::uint16_t>(zip64 ? 4 + 24 : 0).le<std::uint16_t>(0);
        c.le<std::uint16_t>(0).le<std::uint16_t>(0).le<std::uint32_t>(0);
        c.le(narrow_or_saturate(e.local_offset, zip64)).text(e.name);
        if (zip64) c.le(zip::zip64_extra_id).le<std::uint16_t>(24).le(e.size).le(e.compressed_size).le(e.local_offset);
        put(c.bytes());
    }
    const auto cd_size = offset_ - cd_offset;
    const std::uint64_t count = entries_.size();
    const bool zip64 = force_zip64_ || count >= zip::saturated16 || cd_offset >= zip::saturated32 || cd_size >= zip::saturated32;
    if (zip64) {
        const auto z64_offset = offset_;
        record z;
        z.le(zip::zip64_end_signature).le<std::uint64_t>(zip::zip64_end_size - 12).le<std::uint16_t>(45).le<std::uint16_t>(45);
        z.le<std::uint32_t>(0).le<std::uint32_t>(0).le(count).le(count).le(cd_size).le(cd_offset);
        z.le(zip::zip64_locator_signature).le<std::uint32_t>(0).le(z64_offset).le<std::uint32_t>(1);
        put(z.bytes());
    }
    record end;
    end.le(zip::end_signature).le<std::uint16_t>(0).le<std::uint16_t>(0);
    const auto count16 = zip64 ? zip::saturated16 : static_cast<std::uint16_t>(count);
    end.le(count16).le(count16).le(narrow_or_saturate(cd_size, zip64)).le(narrow_or_saturate(cd_offset, zip64)).le<std::uint16_t>(0);
    put(end.bytes());
    out_.finish();
}

}  // namespace brine::interop
