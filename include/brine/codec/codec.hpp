// The codec registry as users see it: names, extensions, magic numbers.
// The codec implementations live in src/codec/ and stay out of user code.
#pragma once

#include <brine/options.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

namespace brine {

struct codec_info {
    codec_id id;
    std::string_view name;       // "gzip"
    std::string_view extension;  // ".gz" (empty for none)
    int default_level;
    int min_level, max_level;
    // Every codec is always built in: zlib, bzip2, liblzma, liblz4 and
    // libzstd are required dependencies (meson.build).
};

// All codecs, in codec_id order.
std::span<const codec_info> codecs() noexcept;
const codec_info& info(codec_id id) noexcept;
std::optional<codec_id> codec_from_name(std::string_view name) noexcept;
// From the last extension only: "model.brine.xz" -> xz; "model.brine" -> nullopt.
std::optional<codec_id> codec_from_extension(const std::filesystem::path& p);
// From the first bytes of a file; `none` when no codec magic matches (the
// bytes may still be an uncompressed brine, npy or pickle file). Needs at
// most `magic_bytes` bytes.
inline constexpr std::size_t magic_bytes = 6;
codec_id codec_from_magic(std::span<const std::byte> prefix) noexcept;

}  // namespace brine
