#include "interop/zip_reader.hpp"
#include "model/byte_order.hpp"

#include "fuzzing.hpp"

#include "interop/zip_format.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace brine::interop {

namespace {

// Little-endian fields at checked positions.
class field_reader {
public:
    field_reader(std::span<const std::byte> b, std::uint64_t pos) : b_(b), pos_(pos) {}
    template <class Uint> Uint get() {
        const auto v = detail::load_le<Uint>(b_.data() + pos_);
        pos_ += sizeof(Uint);
        return v;
    }
    std::uint64_t pos() const noexcept { return pos_; }
    void skip(std::uint64_t n) { pos_ += n; }

private:
    std::span<const std::byte> b_;
    std::uint64_t pos_;
};

std::uint32_t crc_of(std::span<const std::byte> data) {
    uLong crc = crc32(0, nullptr, 0);
    while (!data.empty()) {  // zlib takes uInt lengths
        const auto n = std::min<std::size_t>(data.size(), 1u << 30);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
        data = data.subspan(n);
    }
    return static_cast<std::uint32_t>(crc);
}

}  // namespace

zip_reader::zip_reader(std::span<const std::byte> archive, std::string name) : bytes_(archive), name_(std::move(name)) {
    using namespace zip;
    const auto size = bytes_.size();
    if (size < end_size) fail(0, "not a zip file: too short for an end-of-central-directory record");
    // The end record sits at the end, before a comment of up to 65535 bytes.
    std::uint64_t end = size - end_size + 1;
    const std::uint64_t lowest = size >= end_size + 0xFFFF ? size - end_size - 0xFFFF : 0;
    bool found = false;
    while (end-- > lowest) {
        if (field_reader(bytes_, end).get<std::uint32_t>() == end_signature) { found = true; break; }
    }
    if (!found) fail(size, "not a zip file: no end-of-central-directory record");
    field_reader e(bytes_, end + 4);
    const auto disk = e.get<std::uint16_t>(), cd_disk = e.get<std::uint16_t>();
    e.get<std::uint16_t>();
    std::uint64_t count = e.get<std::uint16_t>();
    std::uint64_t cd_size = e.get<std::uint32_t>();
    std::uint64_t cd_offset = e.get<std::uint32_t>();
    if (disk != 0 || cd_disk != 0) fail(end, "multi-disk zip archives are not supported");
    std::uint64_t cd_limit = end;
    if (end >= zip64_locator_size && field_reader(bytes_, end - zip64_locator_size).get<std::uint32_t>() == zip64_locator_signature) {
        field_reader l(bytes_, end - zip64_locator_size + 8);
        const auto z64 = l.get<std::uint64_t>();
        if (z64 > end - zip64_locator_size || end - zip64_locator_size - z64 < zip64_end_size)
            fail(end - zip64_locator_size, "zip64 end record offset " + std::to_string(z64) + " is outside the archive");
        field_reader z(bytes_, z64);
        if (z.get<std::uint32_t>() != zip64_end_signature) fail(z64, "expected a zip64 end-of-central-directory record");
        z.skip(8 + 2 + 2 + 4 + 4 + 8);
        count = z.get<std::uint64_t>();
        cd_size = z.get<std::uint64_t>();
        cd_offset = z.get<std::uint64_t>();
        cd_limit = z64;
    }
    if (cd_offset > cd_limit || cd_size > cd_limit - cd_offset)
        fail(end, "central directory at " + std::to_string(cd_offset) + " of " + std::to_string(cd_size) + " bytes is outside the archive");
    if (count > cd_size / central_header_size) fail(end, std::to_string(count) + " members cannot fit a central directory of " + std::to_string(cd_size) + " bytes");
    read_central_directory(cd_offset, cd_size, count);
}

void zip_reader::fail(std::uint64_t offset, const std::string& what) const { throw corrupt_error({name_, offset}, what); }

void zip_reader::read_central_directory(std::uint64_t offset, std::uint64_t size, std::uint64_t count) {
    using namespace zip;
    members_.reserve(static_cast<std::size_t>(count));
    const auto limit = offset + size;
    std::uint64_t pos = offset;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (limit - pos < central_header_size) fail(pos, "central directory entry runs past the directory");
        field_reader c(bytes_, pos);
        if (c.get<std::uint32_t>() != central_header_signature) fail(pos, "expected a central directory entry");
        c.skip(4);
        const auto flags = c.get<std::uint16_t>();
        zip_member m;
        m.method = c.get<std::uint16_t>();
        c.skip(4);
        m.crc32 = c.get<std::uint32_t>();
        m.compressed_size = c.get<std::uint32_t>();
        m.size = c.get<std::uint32_t>();
        const auto name_len = c.get<std::uint16_t>(), extra_len = c.get<std::uint16_t>(), comment_len = c.get<std::uint16_t>();
        c.skip(2 + 2 + 4);
        std::uint64_t local = c.get<std::uint32_t>();
        if (limit - pos - central_header_size < std::uint64_t{name_len} + extra_len + comment_len)
            fail(pos, "central directory entry's name and extra fields run past the directory");
        m.name.assign(reinterpret_cast<const char*>(bytes_.data() + c.pos()), name_len);
        // zip64: the saturated fields follow, in this order, in extra field 1.
        for (std::uint64_t x = c.pos() + name_len, xend = x + extra_len; xend - x >= 4;) {
            field_reader f(bytes_, x);
            const auto id = f.get<std::uint16_t>(), len = f.get<std::uint16_t>();
            if (xend - x - 4 < len) fail(x, "extra field runs past its entry");
            if (id == zip64_extra_id) {
                std::uint64_t left = len;
                auto take = [&](std::uint64_t& v) {
                    if (v != saturated32) return;
                    if (left < 8) fail(x, "zip64 extra field too short for " + m.name);
                    v = f.get<std::uint64_t>();
                    left -= 8;
                };
                take(m.size);
                take(m.compressed_size);
                take(local);
            }
            x += 4 + len;
        }
        pos += central_header_size + name_len + extra_len + comment_len;

        if (flags & flag_encrypted) fail(pos, "member " + m.name + " is encrypted; not supported");
        if (m.method != method_stored && m.method != method_deflated)
            throw unsupported_error({name_, pos}, "member " + m.name + " uses compression method " + std::to_string(m.method) + "; brine reads stored (0) and deflated (8)");
        // The local header repeats name and extra (with its own lengths).
        if (local > bytes_.size() || bytes_.size() - local < local_header_size) fail(local, "local header of " + m.name + " is outside the archive");
        field_reader l(bytes_, local);
        if (l.get<std::uint32_t>() != local_header_signature) fail(local, "expected the local header of " + m.name);
        l.skip(22);
        const auto lname = l.get<std::uint16_t>(), lextra = l.get<std::uint16_t>();
        m.data_offset = local + local_header_size + lname + lextra;
        // Like Python's zipfile: the two copies of the name must agree.
        if (lname != m.name.size() || bytes_.size() - local - local_header_size < lname ||
            std::memcmp(bytes_.data() + local + local_header_size, m.name.data(), lname) != 0)
            fail(local, "the local header's name differs from the central directory's " + m.name);
        if (m.data_offset > bytes_.size() || bytes_.size() - m.data_offset < m.compressed_size)
            fail(local, "data of " + m.name + " (" + std::to_string(m.compressed_size) + " bytes) runs past the archive");
        if (m.method == method_stored && m.size != m.compressed_size) fail(local, "stored member " + m.name + " has two different sizes");
        if (m.method == method_deflated && m.size / max_deflate_ratio > m.compressed_size + 1)
            fail(local, "member " + m.name + " claims " + std::to_string(m.size) + " bytes from " + std::to_string(m.compressed_size) + " deflated bytes, more than deflate can produce");
        members_.push_back(std::move(m));
    }
}

std::span<const std::byte> zip_reader::stored(const zip_member& m) const {
    return bytes_.subspan(static_cast<std::size_t>(m.data_offset), static_cast<std::size_t>(m.size));
}

io::buffer zip_reader::inflate(const zip_member& m) const {
    if (m.size > std::numeric_limits<std::size_t>::max()) fail(m.data_offset, "member " + m.name + " does not fit in memory");
    auto out = io::buffer::allocate(static_cast<std::size_t>(m.size));
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail(m.data_offset, "zlib could not start inflating " + m.name);
    const auto* in = reinterpret_cast<const Bytef*>(bytes_.data() + m.data_offset);
    std::uint64_t in_left = m.compressed_size, out_done = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        const auto in_chunk = static_cast<uInt>(std::min<std::uint64_t>(in_left, 1u << 30));
        const auto out_chunk = static_cast<uInt>(std::min<std::uint64_t>(m.size - out_done, 1u << 30));
        z.next_in = const_cast<Bytef*>(in);
        z.avail_in = in_chunk;
        z.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
        z.avail_out = out_chunk;
        rc = ::inflate(&z, Z_NO_FLUSH);
        const auto used = in_chunk - z.avail_in;
        in += used;
        in_left -= used;
        out_done += out_chunk - z.avail_out;
        if (rc == Z_BUF_ERROR && (in_left > 0 && out_done < m.size)) rc = Z_OK;  // more input chunks follow
        if (rc == Z_OK && used == 0 && out_chunk == z.avail_out) rc = Z_BUF_ERROR;
    }
    const std::string why = rc == Z_STREAM_END ? "it inflates to " + std::to_string(out_done) + " bytes, expected " + std::to_string(m.size)
                                               : std::string(z.msg ? z.msg : "it ends early or runs long");
    inflateEnd(&z);
    if (rc != Z_STREAM_END || out_done != m.size) fail(m.data_offset, "deflated data of " + m.name + " is corrupt: " + why);
    return out;
}

void zip_reader::check_crc(const zip_member& m, std::span<const std::byte> data) const {
    if (checksums_enforced() && crc_of(data) != m.crc32)
        fail(m.data_offset, "CRC-32 mismatch in member " + m.name + ": the data is corrupt");
}

}  // namespace brine::interop
