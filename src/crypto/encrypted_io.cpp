#include "crypto/encrypted_io.hpp"

#include "crypto/age_header.hpp"
#include "crypto/age_keys.hpp"
#include "crypto/armor.hpp"
#include "crypto/payload.hpp"
#include "io/replay_source.hpp"

#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/file.hpp>

#include <algorithm>
#include <cstring>

namespace brine::crypto {
namespace {

// `in` with the bytes read to detect encryption served again, and the
// decrypting source on top when it is encrypted.
class detected_input final : public io::source {
public:
    detected_input(std::unique_ptr<io::source> in, const load_options& o) : in_(std::move(in)) {
        auto prefix = io::read_prefix(*in_, age::magic_bytes);
        encrypted_ = age::is_encrypted(prefix);
        replay_.emplace(*in_, std::move(prefix));
        if (encrypted_) plain_ = age::decrypting_source(*replay_, decryption_for(o));
    }
    bool encrypted() const noexcept { return encrypted_; }

    std::size_t read(std::span<std::byte> dst) override { return top().read(dst); }
    std::uint64_t skip(std::uint64_t n) override { return top().skip(n); }
    std::optional<std::uint64_t> remaining() const override { return top().remaining(); }
    std::optional<std::uint64_t> input_left() const override { return top().input_left(); }
    std::string name() const override { return in_->name(); }

private:
    io::source& top() const { return plain_ ? *plain_ : const_cast<io::replay_source&>(*replay_); }
    std::unique_ptr<io::source> in_;
    std::optional<io::replay_source> replay_;
    std::unique_ptr<io::source> plain_;
    bool encrypted_ = false;
};

// What every reader of one encrypted file shares: where the chunks are and
// the key that opens them.
struct encrypted_file {
    std::filesystem::path path;
    std::string name;
    payload_key key;
    std::uint64_t payload_offset = 0;  // the first chunk's offset in the file
    std::uint64_t chunks = 0;
    std::uint64_t last_sealed = 0;     // bytes of the last chunk, tag included
    std::uint64_t plain_size = 0;

    std::uint64_t sealed_size(std::uint64_t index) const { return index + 1 == chunks ? last_sealed : sealed_chunk_size; }
    // Decrypts chunk `index` into `out` (chunk_size bytes); returns its size.
    std::size_t open(const io::file_source& file, std::uint64_t index, std::vector<std::byte>& sealed, std::byte* out) const {
        const std::uint64_t offset = payload_offset + index * sealed_chunk_size;
        sealed.resize(static_cast<std::size_t>(sealed_size(index)));
        file.read_at(offset, sealed);
        return open_chunk(key, index, index + 1 == chunks, sealed, out, {name, offset});
    }
};

class chunk_reader final : public io::source {
public:
    chunk_reader(std::shared_ptr<const encrypted_file> f, std::uint64_t offset)
        : f_(std::move(f)), file_(f_->path), plain_(chunk_size), position_(std::min(offset, f_->plain_size)) {}
    ~chunk_reader() override { sodium_memzero(plain_.data(), plain_.size()); }

    std::size_t read(std::span<std::byte> dst) override {
        std::size_t n = 0;
        while (n < dst.size() && position_ < f_->plain_size) {
            const std::uint64_t index = position_ / chunk_size;
            if (loaded_ != index) {
                f_->open(file_, index, sealed_, plain_.data());
                loaded_ = index;
            }
            const std::size_t in_chunk = static_cast<std::size_t>(position_ % chunk_size);
            const std::size_t chunk_end = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, f_->plain_size - index * chunk_size));
            const std::size_t k = std::min(dst.size() - n, chunk_end - in_chunk);
            std::memcpy(dst.data() + n, plain_.data() + in_chunk, k);
            n += k;
            position_ += k;
        }
        return n;
    }
    // Skipping jumps over whole chunks without decrypting them.
    std::uint64_t skip(std::uint64_t n) override {
        const std::uint64_t k = std::min(n, f_->plain_size - position_);
        position_ += k;
        return k;
    }
    std::optional<std::uint64_t> remaining() const override { return f_->plain_size - position_; }
    std::optional<std::uint64_t> input_left() const override { return remaining(); }
    std::string name() const override { return f_->name; }

private:
    std::shared_ptr<const encrypted_file> f_;
    io::file_source file_;
    std::vector<std::byte> plain_, sealed_;
    std::uint64_t position_;
    std::optional<std::uint64_t> loaded_;
};

class decrypted_access final : public io::random_access {
public:
    explicit decrypted_access(std::shared_ptr<const encrypted_file> f) : f_(std::move(f)) {}
    std::uint64_t size() const override { return f_->plain_size; }
    std::unique_ptr<io::source> open_at(std::uint64_t offset) const override {
        return std::make_unique<chunk_reader>(f_, offset);
    }
    std::string name() const override { return f_->name; }

private:
    std::shared_ptr<const encrypted_file> f_;
};

// Armored files have no fixed chunk offsets: decrypt from the start.
class armored_access final : public io::random_access {
public:
    armored_access(std::filesystem::path file, age::decryption keys) : file_(std::move(file)), keys_(std::move(keys)) {
        size_ = open_at(0)->skip(UINT64_MAX);
    }
    std::uint64_t size() const override { return size_; }
    std::unique_ptr<io::source> open_at(std::uint64_t offset) const override {
        auto chain = std::make_unique<decrypted>(file_, keys_);
        if (chain->plain->skip(offset) != offset)
            throw truncated_error({name(), offset}, "the encrypted file ends before the entry");
        return chain;
    }
    std::string name() const override { return file_.string(); }

private:
    struct decrypted final : io::source {
        io::file_source file;
        std::unique_ptr<io::source> plain;
        decrypted(const std::filesystem::path& p, const age::decryption& keys)
            : file(p), plain(age::decrypting_source(file, keys)) {}
        std::size_t read(std::span<std::byte> dst) override { return plain->read(dst); }
        std::uint64_t skip(std::uint64_t n) override { return plain->skip(n); }
        std::string name() const override { return file.name(); }
    };
    std::filesystem::path file_;
    age::decryption keys_;
    std::uint64_t size_ = 0;
};

}  // namespace

age::encryption encryption_for(const dump_options& o) {
    return {.recipients = o.recipients, .passphrase = o.passphrase, .work_factor = 18, .threads = o.threads};
}

age::decryption decryption_for(const load_options& o) {
    return {.identities = o.identities, .passphrase = o.passphrase, .max_work_factor = 20, .threads = o.threads};
}

void require_keys_for(const std::filesystem::path& file, const age::encryption& keys) {
    if (keys.empty() && age::has_age_extension(file))
        throw unsupported_error({file.string(), std::nullopt},
                                "an .age file is encrypted: give dump_options::recipients or passphrase");
}

std::unique_ptr<io::sink> encrypt_if_asked(io::sink& target, const std::filesystem::path* file, const age::encryption& keys) {
    if (file) require_keys_for(*file, keys);
    if (keys.empty()) return nullptr;
    return age::encrypting_sink(target, keys);
}

std::unique_ptr<io::sink> encrypt_if_asked(io::sink& target, const std::filesystem::path* file, const dump_options& o) {
    return encrypt_if_asked(target, file, encryption_for(o));
}

codec_id codec_for_path(const std::filesystem::path& file, const dump_options& o) {
    if (o.codec) return *o.codec;
    return codec_from_extension(age::without_age_extension(file)).value_or(codec_id::none);
}

std::unique_ptr<io::source> decrypt_if_encrypted(std::unique_ptr<io::source> in, const load_options& o, bool* encrypted) {
    auto detected = std::make_unique<detected_input>(std::move(in), o);
    if (encrypted) *encrypted = detected->encrypted();
    return detected;
}

bool file_is_encrypted(const std::filesystem::path& file) {
    io::file_source in(file);
    return age::is_encrypted(io::read_prefix(in, age::magic_bytes));
}

std::unique_ptr<io::random_access> make_decrypted_access(const std::filesystem::path& file, const load_options& o) {
    require_sodium();
    io::file_source in(file);
    const std::string name = file.string();
    std::vector<std::byte> head = io::read_prefix(in, 4096);
    if (head.size() >= armor_begin.size() && std::memcmp(head.data(), armor_begin.data(), armor_begin.size()) == 0)
        return std::make_unique<armored_access>(file, decryption_for(o));
    std::optional<age_header> header;
    while (!(header = parse_age_header(head, name))) {
        const auto more = io::read_prefix(in, 4096);
        if (more.empty()) throw truncated_error({name, head.size()}, "the file ends inside its age header");
        head.insert(head.end(), more.begin(), more.end());
    }
    auto f = std::make_shared<encrypted_file>();
    f->path = file;
    f->name = name;
    const file_key fk = open_header(*header, head, decryption_for(o), name);
    std::array<unsigned char, payload_nonce_size> nonce;
    if (in.size() < header->size + nonce.size())
        throw truncated_error({name, header->size}, "the file ends before the age payload's 16-byte nonce");
    in.read_at(header->size, std::as_writable_bytes(std::span(nonce)));
    f->key = derive_payload_key(fk, nonce);
    f->payload_offset = header->size + nonce.size();
    const std::uint64_t sealed = in.size() - f->payload_offset;
    if (sealed == 0) throw truncated_error({name, f->payload_offset}, "the age payload has no chunk: the file is truncated");
    f->chunks = (sealed + sealed_chunk_size - 1) / sealed_chunk_size;
    f->last_sealed = sealed - (f->chunks - 1) * sealed_chunk_size;
    // Seeking from the end (the trailer, the table of contents) needs the
    // last chunk to be a valid final chunk first (age.md "Payload").
    std::vector<std::byte> scratch, plain(chunk_size);
    const std::size_t last_plain = f->open(in, f->chunks - 1, scratch, plain.data());
    sodium_memzero(plain.data(), plain.size());
    f->plain_size = (f->chunks - 1) * chunk_size + last_plain;
    return std::make_unique<decrypted_access>(std::move(f));
}

}  // namespace brine::crypto
