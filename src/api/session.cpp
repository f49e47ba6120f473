#include "codec/factory.hpp"
#include "crypto/encrypted_io.hpp"
#include "io/replay_source.hpp"

#include <brine/api/detail/session.hpp>
#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/file.hpp>
#include <brine/io/memory.hpp>
#include <brine/io/stream.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <thread>

namespace brine::detail {

namespace {

codec::encoder_settings encoder_for(codec_id id, const dump_options& o) {
    return {id, o.level.value_or(info(id).default_level), resolve_threads(o.threads), o.block_size};
}

}  // namespace

// --- dump -------------------------------------------------------------------

struct dump_session::impl {
    std::unique_ptr<io::sink> target;     // file or stream
    std::unique_ptr<io::sink> encryptor;  // age, the outermost layer, when asked for
    std::unique_ptr<io::sink> encoder;    // codec, when not `none`
    std::optional<format::writer> writer;

    void open(std::unique_ptr<io::sink> t, codec_id id, const dump_options& o, const std::filesystem::path* file = nullptr) {
        target = std::move(t);
        encryptor = crypto::encrypt_if_asked(*target, file, o);
        io::sink& under = encryptor ? *encryptor : *target;
        if (id != codec_id::none) {
            if (!info(id).available)
                throw unsupported_error({target->name(), std::nullopt}, "codec " + std::string(info(id).name) + " is not built into this libbrine");
            encoder = codec::make_encoding_sink(under, encoder_for(id, o));
        }
        writer.emplace(encoder ? *encoder : under);
    }
};

dump_session::dump_session(const std::filesystem::path& file, const dump_options& options) : impl_(std::make_unique<impl>()) {
    impl_->open(std::make_unique<io::atomic_file_sink>(file, options.durable), crypto::codec_for_path(file, options), options, &file);
}

dump_session::dump_session(std::ostream& out, const dump_options& options) : impl_(std::make_unique<impl>()) {
    impl_->open(std::make_unique<io::ostream_sink>(out), options.codec.value_or(codec_id::none), options);
}

dump_session::~dump_session() = default;

format::writer& dump_session::writer() noexcept { return *impl_->writer; }

// The writer finishes the encoder, which finishes the target; the atomic
// file is renamed into place only then.
void dump_session::finish() { impl_->writer->finish(); }

// --- load -------------------------------------------------------------------

struct load_session::impl {
    std::unique_ptr<io::source> origin;   // file or stream
    std::unique_ptr<io::source> replay;   // origin with its magic bytes put back
    std::unique_ptr<io::source> decoder;  // codec, when not `none`
    std::optional<io::mapped_file> mapping;
    std::unique_ptr<io::source> mapped;
    std::optional<format::reader> reader;
    codec_id codec = codec_id::none;

    void open(std::unique_ptr<io::source> in, const load_options& o) {
        origin = crypto::decrypt_if_encrypted(std::move(in), o);
        auto prefix = io::read_prefix(*origin, magic_bytes);
        codec = codec_from_magic(prefix);
        replay = std::make_unique<io::replay_source>(*origin, std::move(prefix));
        io::source* top = replay.get();
        if (codec != codec_id::none) {
            if (!info(codec).available)
                throw unsupported_error({origin->name(), 0}, "compressed with " + std::string(info(codec).name) + ", which this libbrine was built without");
            decoder = codec::make_decoding_source(codec, *replay, {resolve_threads(o.threads)});
            top = decoder.get();
        }
        reader.emplace(*top, o);
    }
};

load_session::load_session(const std::filesystem::path& file, const load_options& options) : impl_(std::make_unique<impl>()) {
    auto in = std::make_unique<io::file_source>(file);
    // A small file is read rather than mapped when a load is allowed: one
    // open and a read cost less than a second open, mmap and munmap.
    constexpr std::uint64_t small_file_bytes = 64 << 10;
    const bool may_map = options.mmap != mmap_mode::none &&
                         !(options.mmap == mmap_mode::read_only_or_load && in->size() < small_file_bytes);
    if (may_map) {
        const auto prefix = io::read_prefix(*in, age::magic_bytes);
        const bool encrypted = age::is_encrypted(prefix);
        const auto id = codec_from_magic(prefix);
        if (id == codec_id::none && !encrypted) {
            impl_->mapping.emplace(file, options.mmap == mmap_mode::read_only_or_load ? mmap_mode::read_only : options.mmap);
            impl_->mapped = std::make_unique<io::memory_source>(impl_->mapping->bytes(), file.string());
            impl_->reader.emplace(*impl_->mapped, options);
            return;
        }
        if (options.mmap != mmap_mode::read_only_or_load)
            throw unsupported_error({file.string(), 0},
                                    "cannot memory-map a" + (encrypted ? std::string("n encrypted") : " " + std::string(info(id).name) + "-compressed") +
                                        " file; write an uncompressed copy with `brine convert " + file.string() +
                                        " OUT.brine`, or load with mmap_mode::read_only_or_load to read it into memory");
        in->seek(0);
    }
    impl_->open(std::move(in), options);
}

load_session::load_session(std::istream& in, const load_options& options) : impl_(std::make_unique<impl>()) {
    if (options.mmap != mmap_mode::none && options.mmap != mmap_mode::read_only_or_load)
        throw unsupported_error({"<stream>", std::nullopt}, "cannot memory-map a stream; load from a path");
    impl_->open(std::make_unique<io::istream_source>(in), options);
}

load_session::~load_session() = default;

format::reader& load_session::reader() noexcept { return *impl_->reader; }
codec_id load_session::codec() const noexcept { return impl_->codec; }
format::table_of_contents load_session::finish() { return impl_->reader->finish(); }

}  // namespace brine::detail
