#include "interop/opened_input.hpp"

#include "codec/factory.hpp"
#include "crypto/encrypted_io.hpp"
#include "io/replay_source.hpp"

#include <brine/api/detail/session.hpp>
#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/memory.hpp>
#include <brine/io/stream.hpp>

namespace brine::interop {

opened_input::opened_input(const std::filesystem::path& file, const load_options& options, bool decode) {
    auto in = std::make_unique<io::file_source>(file);
    if (options.mmap != mmap_mode::none) {
        const auto prefix = io::read_prefix(*in, age::magic_bytes);
        const bool encrypted = age::is_encrypted(prefix);
        const auto id = decode ? codec_from_magic(prefix) : codec_id::none;
        if (id == codec_id::none && !encrypted) {
            mapping_.emplace(file, options.mmap == mmap_mode::read_only_or_load ? mmap_mode::read_only : options.mmap);
            origin_ = std::make_unique<io::memory_source>(mapping_->bytes(), file.string());
            top_ = origin_.get();
            return;
        }
        if (options.mmap != mmap_mode::read_only_or_load)
            throw unsupported_error({file.string(), 0}, "cannot memory-map a" +
                                                            (encrypted ? std::string("n encrypted") : " " + std::string(info(id).name) + "-compressed") +
                                                            " file; load it with mmap_mode::read_only_or_load "
                                                            "to read it into memory, or write an uncompressed copy");
        in->seek(0);
    }
    decode_from(std::move(in), options, decode);
}

opened_input::opened_input(std::istream& in, const load_options& options, bool decode) {
    if (options.mmap != mmap_mode::none && options.mmap != mmap_mode::read_only_or_load)
        throw unsupported_error({"<stream>", std::nullopt}, "cannot memory-map a stream; load from a path");
    decode_from(std::make_unique<io::istream_source>(in), options, decode);
}

opened_input::~opened_input() = default;

void opened_input::decode_from(std::unique_ptr<io::source> in, const load_options& options, bool decode) {
    // Encryption wraps every format, npy and npz included.
    origin_ = crypto::decrypt_if_encrypted(std::move(in), options);
    top_ = origin_.get();
    if (!decode) return;
    auto prefix = io::read_prefix(*origin_, magic_bytes);
    codec_ = codec_from_magic(prefix);
    replay_ = std::make_unique<io::replay_source>(*origin_, std::move(prefix));
    top_ = replay_.get();
    if (codec_ == codec_id::none) return;
    if (!info(codec_).available)
        throw unsupported_error({origin_->name(), 0}, "compressed with " + std::string(info(codec_).name) + ", which this libbrine was built without");
    decoder_ = codec::make_decoding_source(codec_, *replay_, {resolve_threads(options.threads)});
    top_ = decoder_.get();
}

}  // namespace brine::interop
