#include "store/spill_encryption.hpp"

#include "crypto/age_header.hpp"
#include "crypto/age_keys.hpp"
#include "crypto/age_stream.hpp"
#include "store/spill_segment.hpp"

#include <brine/crypto/age.hpp>
#include <brine/error.hpp>
#include <brine/io/file.hpp>

#include <sodium.h>

#include <fstream>
#include <iterator>

namespace brine::store {

namespace {

namespace fs = std::filesystem;

constexpr const char* header_file_name = "AGE-HEADER";

class age_filter final : public spill_filter {
public:
    explicit age_filter(crypto::sealed_header header) : header_(std::move(header)) {}
    std::uint8_t bit() const noexcept override { return age_filter_bit; }
    // One thread: values are encrypted on the store's writer thread, and most
    // are small enough that a pool would cost more than the cipher.
    std::unique_ptr<io::sink> encode(io::sink& downstream) const override {
        return crypto::encrypting_sink(downstream, header_, 1);
    }
    std::unique_ptr<io::source> decode(io::source& upstream) const override {
        return crypto::decrypting_source(upstream, header_, 1);
    }

private:
    crypto::sealed_header header_;
};

// A key made for this map alone: the identity that could unwrap it is
// dropped at once, the file key lives only in the filter.
crypto::sealed_header ephemeral_header(const std::string& name) {
    std::string identity = age::generate_identity();
    age::encryption keys{.recipients = {age::recipient_of(identity)}};
    sodium_memzero(identity.data(), identity.size());
    return crypto::seal_header(keys, name);
}

// The recipients of identities given as keys, key-file text or key-file paths.
std::vector<std::string> recipients_of(const std::vector<std::string>& identities) {
    std::vector<std::string> out;
    for (const auto& id : identities) {
        if (id.rfind("AGE-SECRET-KEY-1", 0) == 0 && id.find('\n') == std::string::npos) {
            out.push_back(age::recipient_of(id));
            continue;
        }
        for (const auto& key : age::read_identity_file(id)) out.push_back(age::recipient_of(key));
    }
    return out;
}

crypto::sealed_header open_existing(const fs::path& file, const spill_encryption& e) {
    std::ifstream in(file, std::ios::binary);
    std::string text;
    text.resize(crypto::max_header_size + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw io_error({file.string(), std::nullopt}, "cannot read the store's age header");
    text.resize(static_cast<std::size_t>(in.gcount()));
    const auto bytes = std::as_bytes(std::span(text));
    const auto header = crypto::parse_age_header(bytes, file.string());
    if (!header) throw truncated_error({file.string(), text.size()}, "the store's age header ends before its MAC line");
    if (header->size != text.size())
        throw format_error({file.string(), header->size}, "bytes follow the store's age header, which holds no payload");
    const age::decryption keys{.identities = e.identities, .passphrase = e.passphrase, .max_work_factor = e.max_work_factor};
    return {text, crypto::open_header(*header, bytes, keys, file.string())};
}

crypto::sealed_header create(const fs::path& file, const spill_encryption& e) {
    age::encryption keys{.recipients = e.recipients, .passphrase = e.passphrase, .work_factor = e.work_factor};
    if (keys.empty()) keys.recipients = recipients_of(e.identities);
    if (keys.empty())
        throw unsupported_error({file.string(), std::nullopt},
                                "a persistent encrypted spill store needs recipients, identities or a passphrase in spill_options::encryption");
    auto sealed = crypto::seal_header(keys, file.string());
    io::atomic_file_sink out(file, true);
    out.write(std::as_bytes(std::span(sealed.text)));
    out.finish();
    return sealed;
}

}  // namespace

std::unique_ptr<spill_filter> make_encryption_filter(const spill_options& o, const spill_directory& dir) {
    const auto file = dir.path() / header_file_name;
    std::error_code ec;
    const bool has_header = dir.persistent() && fs::exists(file, ec);
    if (!o.encryption) {
        if (has_header)
            throw unsupported_error({dir.path().string(), std::nullopt},
                                    "this spill store is encrypted (age, " + file.string() +
                                        "): open it with spill_options::encryption holding an identity or the passphrase");
        return nullptr;
    }
    if (!dir.persistent()) return std::make_unique<age_filter>(ephemeral_header(dir.path().string()));
    if (has_header) return std::make_unique<age_filter>(open_existing(file, *o.encryption));
    if (dir.read_only()) return nullptr;  // nothing in it is encrypted
    return std::make_unique<age_filter>(create(file, *o.encryption));
}

}  // namespace brine::store
