// codec_ostream / codec_istream: std::streambufs over the encoding sink and
// the decoding source of factory.hpp, with the io layer's stream adapters
// underneath.
#include "factory.hpp"
#include "crypto/encrypted_io.hpp"
#include "io/replay_source.hpp"

#include <brine/codec/codec.hpp>
#include <brine/codec_stream.hpp>
#include <brine/error.hpp>
#include <brine/io/stream.hpp>

#include <algorithm>
#include <cstring>
#include <streambuf>
#include <thread>
#include <vector>

namespace brine {
namespace {

constexpr std::size_t buffer_size = 64 << 10;

}  // namespace

namespace detail {

class codec_ostreambuf final : public std::streambuf {
public:
    codec_ostreambuf(std::ostream& out, const codec::encoder_settings& settings, const dump_options& keys = {})
        : target_(out),
          encryptor_(crypto::encrypt_if_asked(target_, nullptr, keys)),
          encoder_(codec::make_encoding_sink(encryptor_ ? *encryptor_ : static_cast<io::sink&>(target_), settings)),
          buffer_(buffer_size) {
        setp(buffer_.data(), buffer_.data() + buffer_.size());
    }

    void finish() {
        if (finished_) return;
        finished_ = true;  // even when it throws: a half-finished stream cannot be resumed
        drain();
        encoder_->finish();
    }
    bool finished() const { return finished_; }

protected:
    int_type overflow(int_type ch) override {
        if (finished_) return traits_type::eof();
        drain();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (finished_) return 0;
        if (n >= static_cast<std::streamsize>(buffer_.size())) {  // big writes skip the copy
            drain();
            encoder_->write(std::as_bytes(std::span(s, static_cast<std::size_t>(n))));
            return n;
        }
        return std::streambuf::xsputn(s, n);
    }
    // A compressed stream cannot be flushed halfway; sync hands the buffered
    // bytes to the encoder, which compresses them when a block is full.
    int sync() override {
        if (!finished_) drain();
        return 0;
    }

private:
    void drain() {
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        if (n) encoder_->write(std::as_bytes(std::span(pbase(), n)));
        setp(buffer_.data(), buffer_.data() + buffer_.size());
    }

    io::ostream_sink target_;
    std::unique_ptr<io::sink> encryptor_;  // age, around the codec, when keys were given
    std::unique_ptr<io::sink> encoder_;
    std::vector<char> buffer_;
    bool finished_ = false;
};

class codec_istreambuf final : public std::streambuf {
public:
    codec_istreambuf(std::istream& in, std::optional<codec_id> codec, const load_options& options)
        : origin_(crypto::decrypt_if_encrypted(std::make_unique<io::istream_source>(in), options)), buffer_(buffer_size) {
        auto prefix = io::read_prefix(*origin_, magic_bytes);
        codec_ = codec ? *codec : codec_from_magic(prefix);
        replay_.emplace(*origin_, std::move(prefix));
        decoder_ = codec::make_decoding_source(codec_, *replay_, {resolve_threads(options.threads)});
    }
    codec_id codec() const { return codec_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const std::size_t n = decoder_->read(std::as_writable_bytes(std::span(buffer_)));
        setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
        return n ? traits_type::to_int_type(*gptr()) : traits_type::eof();
    }

private:
    std::unique_ptr<io::source> origin_;  // the stream, decrypted when it is an age file
    std::optional<io::replay_source> replay_;
    std::unique_ptr<io::source> decoder_;
    codec_id codec_ = codec_id::none;
    std::vector<char> buffer_;
};

}  // namespace detail

codec_ostream::codec_ostream(std::ostream& out, codec_id codec, std::optional<int> level, unsigned threads,
                             std::uint64_t block_size)
    : std::ostream(nullptr), codec_(codec) {
    buf_ = std::make_unique<detail::codec_ostreambuf>(
        out, codec::encoder_settings{codec, level.value_or(info(codec).default_level), resolve_threads(threads),
                                     block_size});
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
}

codec_ostream::codec_ostream(std::ostream& out, const dump_options& options)
    : std::ostream(nullptr), codec_(options.codec.value_or(codec_id::none)) {
    buf_ = std::make_unique<detail::codec_ostreambuf>(
        out,
        codec::encoder_settings{codec_, options.level.value_or(info(codec_).default_level), resolve_threads(options.threads),
                                options.block_size},
        options);
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
}

codec_ostream::~codec_ostream() {
    try {
        if (!buf_->finished()) buf_->finish();
    } catch (...) {
        // A destructor must not throw; finish() reports the error to those who ask.
    }
}

void codec_ostream::finish() {
    if (buf_->finished()) return;
    try {
        buf_->finish();
    } catch (...) {
        try {
            setstate(std::ios::badbit);  // throws ios_base::failure itself when badbit is in exceptions()
        } catch (...) {
        }
        throw;  // the brine::error, which says what went wrong
    }
}

codec_istream::codec_istream(std::istream& in, std::optional<codec_id> codec, unsigned threads)
    : std::istream(nullptr), buf_(std::make_unique<detail::codec_istreambuf>(in, codec, load_options{.threads = threads})) {
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
}

codec_istream::codec_istream(std::istream& in, const load_options& options)
    : std::istream(nullptr), buf_(std::make_unique<detail::codec_istreambuf>(in, std::nullopt, options)) {
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
}

codec_istream::~codec_istream() = default;

codec_id codec_istream::codec() const noexcept { return buf_->codec(); }

}  // namespace brine
