// Which kind of file is this? Looks at the first bytes only (decoding a few
// when the file is compressed), so tools can dispatch to the right reader.
#pragma once

#include <brine/options.hpp>

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace brine {

enum class file_format { brine, joblib, npy, npz };
constexpr std::string_view name(file_format f) noexcept {
    switch (f) {
    case file_format::brine: return "brine";
    case file_format::joblib: return "joblib";
    case file_format::npy: return "npy";
    case file_format::npz: return "npz";
    }
    return "?";
}

struct file_identity {
    file_format format = file_format::brine;
    // The codec around the whole file (brine, joblib files); none for npy and
    // npz, which are never compressed as a whole.
    codec_id codec = codec_id::none;
    // brine files: the header's format version.
    std::uint16_t major = 0, minor = 0;
    std::uint64_t file_size = 0;
    // Encrypted with age around everything else (format and codec are then
    // those of the plaintext).
    bool encrypted = false;
};

// Throws brine::io_error when the file cannot be read and brine::format_error
// when it is none of the formats above.
// An encrypted file needs its keys (load_options::identities / passphrase):
// brine::decryption_error without them.
file_identity identify(const std::filesystem::path& file, const load_options& keys = {});

}  // namespace brine
