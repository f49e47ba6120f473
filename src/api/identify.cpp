#include "codec/opened_input.hpp"
#include "io/replay_source.hpp"
#include "model/byte_order.hpp"

#include <brine/api/identify.hpp>
#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/file.hpp>

#include <string_view>

namespace brine {

namespace {

// The magic numbers that tell the formats apart (docs/format.md,
// docs/interop.md). A pickle of protocol 2 or later starts with PROTO.
constexpr std::string_view brine_magic("\x89" "BRN\r\n\x1a\n", 8);
constexpr std::string_view npy_magic("\x93NUMPY", 6);
constexpr std::string_view zip_magic("PK\x03\x04", 4);
constexpr std::string_view empty_zip_magic("PK\x05\x06", 4);
constexpr char pickle_proto = '\x80';
constexpr std::size_t prefix_size = 12;  // brine magic + u16 major + u16 minor

std::uint16_t little_u16(std::string_view bytes) {
    return detail::load_le<std::uint16_t>(reinterpret_cast<const std::byte*>(bytes.data()));
}

}  // namespace

file_identity identify(const std::filesystem::path& file, const load_options& keys) {
    file_identity id;
    id.file_size = io::file_source(file).size();
    // An encrypted file is identified by what it encrypts, which takes the
    // keys; a compressed one by what the codec wraps (a few bytes decoded).
    load_options options = keys;
    options.mmap = mmap_mode::none;
    options.threads = 1;
    codec::opened_input in(file, options);
    id.encrypted = in.encrypted();
    id.codec = in.codec();
    const auto prefix = io::read_prefix(in.source(), prefix_size);
    const std::string_view p(reinterpret_cast<const char*>(prefix.data()), prefix.size());
    if (p.starts_with(brine_magic)) {
        id.format = file_format::brine;
        if (p.size() >= prefix_size) {
            id.major = little_u16(p.substr(8));
            id.minor = little_u16(p.substr(10));
        }
        return id;
    }
    if (!p.empty() && p[0] == pickle_proto) {
        id.format = file_format::joblib;
        return id;
    }
    if (id.codec == codec_id::none && p.starts_with(npy_magic)) {
        id.format = file_format::npy;
        return id;
    }
    if (id.codec == codec_id::none && (p.starts_with(zip_magic) || p.starts_with(empty_zip_magic))) {
        id.format = file_format::npz;
        return id;
    }
    const std::string wrapped = id.codec == codec_id::none ? "" : std::string(info(id.codec).name) + "-compressed data that is ";
    throw format_error({file.string(), 0}, wrapped + "not a brine, joblib, .npy or .npz file");
}

}  // namespace brine
