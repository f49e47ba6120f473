// Random access into a compressed file that brine wrote: its block index
// maps uncompressed offsets to independent blocks, so reading an entry
// decodes only the blocks it spans.
#pragma once

#include "codec/factory.hpp"
#include "io/random_access.hpp"

#include <filesystem>
#include <memory>

namespace brine::codec {

// Through the file's block index; nullptr when it has none brine can use
// (single-stream files written by other tools, or codecs without one).
std::unique_ptr<io::random_access> make_indexed_access(codec_id id, const std::filesystem::path& file);

// Never nullptr: a file without a block index brine can use (single-stream
// files written by other tools, or codecs without one) is decoded from the
// start for each open_at.
std::unique_ptr<io::random_access> make_random_access(codec_id id, const std::filesystem::path& file, const decoder_settings&);

// The same over any random access to the compressed bytes (the plaintext of
// an encrypted file).
std::unique_ptr<io::random_access> make_random_access(codec_id id, std::shared_ptr<const io::random_access> compressed,
                                                      const decoder_settings&);

}  // namespace brine::codec
