// The zip constants the reader and the writer share (PKWARE APPNOTE 6.3).
#pragma once

#include <cstdint>

namespace brine::interop::zip {

inline constexpr std::uint32_t local_header_signature = 0x04034b50;
inline constexpr std::uint32_t central_header_signature = 0x02014b50;
inline constexpr std::uint32_t end_signature = 0x06054b50;
inline constexpr std::uint32_t zip64_end_signature = 0x06064b50;
inline constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
inline constexpr std::uint16_t zip64_extra_id = 0x0001;
// The extra field Android's zipalign uses to pad a local header so the
// member's data starts aligned; readers skip unknown extra fields.
inline constexpr std::uint16_t alignment_extra_id = 0xD935;

inline constexpr std::size_t local_header_size = 30;
inline constexpr std::size_t central_header_size = 46;
inline constexpr std::size_t end_size = 22;
inline constexpr std::size_t zip64_end_size = 56;
inline constexpr std::size_t zip64_locator_size = 20;

inline constexpr std::uint16_t method_stored = 0;
inline constexpr std::uint16_t method_deflated = 8;
inline constexpr std::uint16_t flag_encrypted = 1;

inline constexpr std::uint32_t saturated32 = 0xFFFFFFFF;  // "see the zip64 extra field"
inline constexpr std::uint16_t saturated16 = 0xFFFF;

// deflate cannot expand more than about 1032:1.
inline constexpr std::uint64_t max_deflate_ratio = 1032;

}  // namespace brine::interop::zip
