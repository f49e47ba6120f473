// Names, extensions, levels and magic numbers of the codecs (the public
// registry in <brine/codec/codec.hpp>), and the lookup of their backends.
#include "backend.hpp"
#include "model/byte_order.hpp"
#include "joblib_zfile.hpp"

#include <brine/codec/codec.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace brine {
namespace {

constexpr std::array<codec_info, 8> table{{
    {codec_id::none, "none", "", 0, 0, 0},
    {codec_id::zlib, "zlib", ".z", 3, 0, 9},
    {codec_id::gzip, "gzip", ".gz", 3, 0, 9},
    {codec_id::bz2, "bz2", ".bz2", 3, 1, 9},
    {codec_id::lzma, "lzma", ".lzma", 3, 0, 9},
    {codec_id::xz, "xz", ".xz", 3, 0, 9},
    {codec_id::lz4, "lz4", ".lz4", 0, 0, 12},  // 0 = fast (LZ4_compress_default), 3..12 = HC
    {codec_id::zstd, "zstd", ".zst", 3, -7, 22},
}};

std::uint8_t at(std::span<const std::byte> p, std::size_t i) { return std::to_integer<std::uint8_t>(p[i]); }

bool starts_with(std::span<const std::byte> p, std::initializer_list<std::uint8_t> magic) {
    if (p.size() < magic.size()) return false;
    std::size_t i = 0;
    for (auto b : magic)
        if (at(p, i++) != b) return false;
    return true;
}

// lzma-alone has no real magic: a properties byte (0x5d for the lc=3 lp=0
// pb=2 that every encoder uses) and a little-endian dictionary size that xz
// requires to be 2^n or 2^n + 2^(n-1). Requiring both keeps random bytes out.
bool looks_like_lzma_alone(std::span<const std::byte> p) {
    if (p.size() < 5 || at(p, 0) != 0x5d) return false;
    const auto dict = detail::load_le<std::uint32_t>(p.subspan(1));
    if (dict == 0xffffffffu) return true;
    if (dict < 4096) return false;
    std::uint32_t top = std::bit_floor(dict);
    return dict == top || dict == top + (top >> 1);
}

}  // namespace

std::span<const codec_info> codecs() noexcept { return table; }

const codec_info& info(codec_id id) noexcept { return table[static_cast<std::size_t>(id)]; }

std::optional<codec_id> codec_from_name(std::string_view name) noexcept {
    for (const auto& c : table)
        if (c.name == name) return c.id;
    if (name == "bzip2") return codec_id::bz2;  // the CLI's name
    if (name == "zst") return codec_id::zstd;
    return std::nullopt;
}

std::optional<codec_id> codec_from_extension(const std::filesystem::path& p) {
    const std::string ext = p.extension().string();
    if (ext.empty()) return std::nullopt;
    for (const auto& c : table)
        if (!c.extension.empty() && c.extension == ext) return c.id;
    if (ext == ".Z" || ext == ".zlib") return codec_id::zlib;
    if (ext == ".zstd") return codec_id::zstd;
    return std::nullopt;
}

namespace codec {
bool has_magic(codec_id id, std::span<const std::byte> p) noexcept {
    switch (id) {
    case codec_id::none: return false;
    // CM = 8 (deflate) with the usual 32 KiB window, and the header check bits.
    // Or joblib < 0.10's Z-file, a zlib stream behind a length header.
    case codec_id::zlib: return (p.size() >= 2 && at(p, 0) == 0x78 && (at(p, 0) * 256 + at(p, 1)) % 31 == 0) || is_joblib_zfile(p);
    case codec_id::gzip: return starts_with(p, {0x1f, 0x8b});
    case codec_id::bz2: return starts_with(p, {'B', 'Z', 'h'}) && p.size() >= 4 && at(p, 3) >= '1' && at(p, 3) <= '9';
    case codec_id::lzma: return looks_like_lzma_alone(p);
    case codec_id::xz: return starts_with(p, {0xfd, '7', 'z', 'X', 'Z', 0x00});
    case codec_id::lz4: return starts_with(p, {0x04, 0x22, 0x4d, 0x18});
    case codec_id::zstd: return starts_with(p, {0x28, 0xb5, 0x2f, 0xfd});
    }
    return false;
}
}  // namespace codec

codec_id codec_from_magic(std::span<const std::byte> prefix) noexcept {
    // Strongest magic first: the zlib and lzma checks are the weakest.
    for (codec_id id : {codec_id::xz, codec_id::zstd, codec_id::lz4, codec_id::gzip, codec_id::bz2,
                        codec_id::lzma, codec_id::zlib})
        if (codec::has_magic(id, prefix)) return id;
    return codec_id::none;
}

namespace codec {

const backend* backend_for(codec_id id) noexcept {
    switch (id) {
    case codec_id::none: return nullptr;
    case codec_id::zlib: return &zlib_backend;
    case codec_id::gzip: return &gzip_backend;
    case codec_id::bz2: return &bz2_backend;
    case codec_id::lzma: return &lzma_backend;
    case codec_id::xz: return &xz_backend;
    case codec_id::lz4: return &lz4_backend;
    case codec_id::zstd: return &zstd_backend;
    }
    return nullptr;
}

}  // namespace codec
}  // namespace brine
