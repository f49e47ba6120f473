// joblib < 0.10's "Z-file": the container that joblib.dump(compress=n) used
// for its pickle and for each array's companion `.npy.z` file, read as one
// more spelling of zlib (numpy_pickle_compat.py documents it):
//
//   "ZF", the raw length in hex ("0x1f4", or without "0x" in older joblib)
//   padded with spaces to 19 bytes, one more space under Python 2's
//   joblib <= 0.8.4, then one zlib stream of exactly that many raw bytes.
//
// Nothing is allocated on the declared length's word: it is only checked
// against what the zlib stream really holds.
#pragma once

#include "backend.hpp"

#include <memory>
#include <span>

namespace brine::codec {

// Whether `prefix` (up to magic_bytes) starts a Z-file.
bool is_joblib_zfile(std::span<const std::byte> prefix) noexcept;

// A zlib decoder that also reads a Z-file header in front of its stream.
std::unique_ptr<stream_decoder> make_zlib_or_zfile_decoder();

}  // namespace brine::codec
