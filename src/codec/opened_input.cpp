#include "codec/opened_input.hpp"

#include "codec/factory.hpp"
#include "codec/seekable.hpp"
#include "crypto/encrypted_io.hpp"
#include "io/replay_source.hpp"

#include <brine/codec/codec.hpp>
#include <brine/crypto/age.hpp>
#include <brine/io/memory.hpp>
#include <brine/io/stream.hpp>

namespace brine::codec {

namespace {

// read_only_or_load maps as read_only; the others map as asked.
mmap_mode mapping_mode(mmap_mode asked) { return asked == mmap_mode::read_only_or_load ? mmap_mode::read_only : asked; }

}  // namespace

input_wrapping probe_wrapping(const std::filesystem::path& file) {
    io::file_source probe(file);
    const auto prefix = io::read_prefix(probe, age::magic_bytes);
    return {age::is_encrypted(prefix), codec_from_magic(prefix)};
}

void refuse_mapping(const location& where, const input_wrapping& w) {
    const std::string what = w.encrypted ? "an encrypted" : "a " + std::string(info(w.codec).name) + "-compressed";
    throw unsupported_error(where, "cannot memory-map " + what +
                                       " file; load it with mmap_mode::read_only_or_load to read it into memory, "
                                       "or write an uncompressed copy (`brine convert " + where.file + " OUT`)");
}

void check_stream_mapping(mmap_mode mode) {
    if (mapping_required(mode)) throw unsupported_error({"<stream>", std::nullopt}, "cannot memory-map a stream; load from a path");
}

opened_input::opened_input(const std::filesystem::path& file, const load_options& options, input_needs needs) {
    const bool decode = needs.decode;
    auto in = std::make_unique<io::file_source>(file);
    constexpr std::uint64_t small_file_bytes = 64 << 10;
    const bool may_map = options.mmap != mmap_mode::none &&
                         !(needs.read_small_files && options.mmap == mmap_mode::read_only_or_load && in->size() < small_file_bytes);
    if (may_map) {
        const auto prefix = io::read_prefix(*in, age::magic_bytes);
        input_wrapping w{age::is_encrypted(prefix), decode ? codec_from_magic(prefix) : codec_id::none};
        if (!w.encrypted && w.codec == codec_id::none) {
            mapping_.emplace(file, mapping_mode(options.mmap));
            origin_ = std::make_unique<io::memory_source>(mapping_->bytes(), file.string());
            top_ = origin_.get();
            return;
        }
        if (mapping_required(options.mmap)) refuse_mapping({file.string(), 0}, w);
        in->seek(0);
    }
    decode_from(std::move(in), options, decode);
}

opened_input::opened_input(std::istream& in, const load_options& options, input_needs needs) {
    check_stream_mapping(options.mmap);
    decode_from(std::make_unique<io::istream_source>(in), options, needs.decode);
}

opened_input::~opened_input() = default;

void opened_input::decode_from(std::unique_ptr<io::source> in, const load_options& options, bool decode) {
    // Encryption wraps every format, npy and npz included.
    origin_ = crypto::decrypt_if_encrypted(std::move(in), options, &encrypted_);
    top_ = origin_.get();
    if (!decode) return;
    auto prefix = io::read_prefix(*origin_, magic_bytes);
    codec_ = codec_from_magic(prefix);
    replay_ = std::make_unique<io::replay_source>(*origin_, std::move(prefix));
    top_ = replay_.get();
    if (codec_ == codec_id::none) return;
    decoder_ = make_decoding_source(codec_, *replay_, {resolve_threads(options.threads)});
    top_ = decoder_.get();
}

random_input open_random_input(const std::filesystem::path& file, const load_options& options) {
    const auto w = probe_wrapping(file);
    const decoder_settings settings{resolve_threads(options.threads)};
    if (w.encrypted) {
        // Only the chunks an entry spans are decrypted (and, under a codec
        // with a block index, only its blocks decoded).
        if (mapping_required(options.mmap)) refuse_mapping({file.string(), 0}, w);
        std::shared_ptr<const io::random_access> plain = crypto::make_decrypted_access(file, options);
        const auto inner = codec_from_magic(io::read_prefix(*plain->open_at(0), magic_bytes));
        auto access = inner == codec_id::none ? io::shared_access(std::move(plain)) : make_random_access(inner, std::move(plain), settings);
        return {inner, true, std::move(access)};
    }
    if (w.codec == codec_id::none)
        return {codec_id::none, false,
                options.mmap != mmap_mode::none ? io::mapped_file_access(file, mapping_mode(options.mmap)) : io::file_access(file)};
    if (mapping_required(options.mmap)) refuse_mapping({file.string(), 0}, w);
    return {w.codec, false, make_random_access(w.codec, file, settings)};
}

}  // namespace brine::codec
