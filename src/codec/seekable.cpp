#include "codec/seekable.hpp"

namespace brine::codec {

std::unique_ptr<io::random_access> make_random_access(codec_id, const std::filesystem::path&, const decoder_settings&) {
    return nullptr;  // block-index lookup: see docs/codecs.md
}

}  // namespace brine::codec
