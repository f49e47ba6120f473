// The one way libbrine opens an input it reads: brine files, joblib pickles,
// npy and npz, from a path or a stream. The first bytes decide what stands in
// front of the reader: age decryption (the outermost layer), then the codec
// found by magic number. A path is mapped instead when mmap is asked for and
// the file is neither encrypted nor compressed. Every refusal has one message,
// whichever format was asked for.
#pragma once

#include "io/random_access.hpp"

#include <brine/error.hpp>
#include <brine/io/file.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>

namespace brine::codec {

// What the first bytes of a file say it is wrapped in.
struct input_wrapping {
    bool encrypted = false;
    codec_id codec = codec_id::none;  // of the file itself (an encrypted file's codec is inside)
};
input_wrapping probe_wrapping(const std::filesystem::path& file);

// Whether `mode` demands a mapping (read_only_or_load and none do not).
inline bool mapping_required(mmap_mode mode) { return mode != mmap_mode::none && mode != mmap_mode::read_only_or_load; }

// The refusal of a mapping that cannot be: an encrypted or compressed file.
[[noreturn]] void refuse_mapping(const location& where, const input_wrapping& w);
// Throws unless `mode` can be honoured for a stream.
void check_stream_mapping(mmap_mode mode);

// How a format's loader wants its input.
struct input_needs {
    // Put a decoder in front of compressed input. npy and npz are never
    // compressed as a whole, so their loaders say false.
    bool decode = true;
    // Under read_only_or_load, read a file under 64 KiB rather than map it:
    // one open and a read cost less than a second open, mmap and munmap.
    // The interop loaders say false: what borrows a mapping keeps the file's
    // byte order, what is read is made native.
    bool read_small_files = true;
};

// A sequential input: the mapping, or the file or stream with decryption and
// decoding in front.
class opened_input {
public:
    opened_input(const std::filesystem::path& file, const load_options& options, input_needs needs = {});
    opened_input(std::istream& in, const load_options& options, input_needs needs = {});
    ~opened_input();
    opened_input(const opened_input&) = delete;
    opened_input& operator=(const opened_input&) = delete;

    io::source& source() noexcept { return *top_; }
    codec_id codec() const noexcept { return codec_; }
    bool encrypted() const noexcept { return encrypted_; }
    // True when `source()` is the file's mapping, so arrays may borrow it.
    bool mapped() const noexcept { return mapping_.has_value(); }

private:
    void decode_from(std::unique_ptr<io::source> in, const load_options& options, bool decode);
    std::unique_ptr<io::source> origin_, replay_, decoder_;
    std::optional<io::mapped_file> mapping_;
    io::source* top_ = nullptr;
    codec_id codec_ = codec_id::none;
    bool encrypted_ = false;
};

// Random access to a file's uncompressed stream, for lazy entries: the
// mapping or the file itself; under a codec, the blocks its index names (or
// decoding from the start); under age, only the chunks an entry spans.
struct random_input {
    codec_id codec = codec_id::none;  // of the stream inside any encryption
    bool encrypted = false;
    std::unique_ptr<io::random_access> access;
};
random_input open_random_input(const std::filesystem::path& file, const load_options& options);

}  // namespace brine::codec
