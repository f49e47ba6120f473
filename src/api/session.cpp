#include "codec/factory.hpp"
#include "codec/opened_input.hpp"
#include "crypto/encrypted_io.hpp"

#include <brine/api/detail/session.hpp>
#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/file.hpp>
#include <brine/io/stream.hpp>

#include <optional>

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
        if (id != codec_id::none) encoder = codec::make_encoding_sink(under, encoder_for(id, o));
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
    std::optional<codec::opened_input> input;
    std::optional<format::reader> reader;
};

load_session::load_session(const std::filesystem::path& file, const load_options& options) : impl_(std::make_unique<impl>()) {
    impl_->input.emplace(file, options);
    impl_->reader.emplace(impl_->input->source(), options);
}

load_session::load_session(std::istream& in, const load_options& options) : impl_(std::make_unique<impl>()) {
    impl_->input.emplace(in, options);
    impl_->reader.emplace(impl_->input->source(), options);
}

load_session::~load_session() = default;

format::reader& load_session::reader() noexcept { return *impl_->reader; }
codec_id load_session::codec() const noexcept { return impl_->input->codec(); }
format::table_of_contents load_session::finish() { return impl_->reader->finish(); }

}  // namespace brine::detail
