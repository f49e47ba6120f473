#include "crypto/age_keys.hpp"

#include "crypto/base64.hpp"
#include "crypto/bech32.hpp"
#include "crypto/hkdf.hpp"

#include <brine/error.hpp>

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

namespace brine {
namespace crypto {
namespace {

constexpr std::string_view x25519_label = "age-encryption.org/v1/X25519";
constexpr std::string_view scrypt_label = "age-encryption.org/v1/scrypt";
constexpr std::string_view identity_hrp = "age-secret-key-";
constexpr std::string_view recipient_hrp = "age";
constexpr unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};

using key32 = secret<32>;

std::array<unsigned char, 32> parse_recipient(std::string_view text, const std::string& name) {
    const auto decoded = bech32_decode(text);
    if (!decoded || decoded->hrp != recipient_hrp || decoded->data.size() != 32)
        throw unsupported_error({name, std::nullopt}, "\"" + std::string(text) +
                                                          "\" is not an age X25519 recipient (age1... with 32 bytes)");
    std::array<unsigned char, 32> out;
    std::copy(decoded->data.begin(), decoded->data.end(), out.begin());
    return out;
}

key32 parse_identity(std::string_view text, const std::string& where) {
    auto decoded = bech32_decode(text);
    const bool ok = decoded && decoded->hrp == identity_hrp && decoded->data.size() == 32 &&
                    std::none_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    key32 out;
    if (decoded) {
        if (ok) std::copy(decoded->data.begin(), decoded->data.end(), out.data());
        sodium_memzero(decoded->data.data(), decoded->data.size());
    }
    if (!ok) throw format_error({where, std::nullopt}, "expected an age X25519 identity (AGE-SECRET-KEY-1...)");
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    return std::string(s);
}

// The key lines of an identity or recipients file's text.
std::vector<std::string> key_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line = trim(text.substr(pos, end - pos));
        if (!line.empty() && line[0] != '#') out.push_back(line);
        crypto::wipe(line);
        pos = end + 1;
    }
    return out;
}

std::string read_text_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error({file.string(), std::nullopt}, "cannot open the key file");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) throw io_error({file.string(), std::nullopt}, "cannot read the key file");
    return s.str();
}

// Every X25519 identity named by `keys.identities` (keys, file contents, paths).
std::vector<key32> collect_identities(const age::decryption& keys) {
    std::vector<key32> out;
    for (const auto& given : keys.identities) {
        const std::string_view g = given;
        if (g.starts_with("AGE-SECRET-KEY-1") && g.find('\n') == std::string_view::npos) {
            out.push_back(parse_identity(trim(g), "identity"));
            continue;
        }
        std::vector<std::string> lines;
        std::string origin = "identity text";
        if (g.find('\n') != std::string_view::npos) {
            lines = key_lines(g);
        } else {
            origin = given;
            std::string text = read_text_file(given);
            lines = key_lines(text);
            crypto::wipe(text);
        }
        for (auto& line : lines) {
            out.push_back(parse_identity(line, origin));
            crypto::wipe(line);
        }
    }
    return out;
}

void aead_seal(const key32& key, const file_key& plain, std::vector<unsigned char>& body) {
    body.resize(plain.size() + crypto_aead_chacha20poly1305_ietf_ABYTES);
    unsigned long long n = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), &n, plain.data(), plain.size(), nullptr, 0, nullptr,
                                              zero_nonce, key.data());
}

bool aead_open(const key32& key, const std::vector<unsigned char>& body, file_key& plain) {
    unsigned long long n = 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(plain.data(), &n, nullptr, body.data(), body.size(), nullptr, 0,
                                                     zero_nonce, key.data()) == 0 &&
           n == plain.size();
}

key32 x25519_wrap_key(const key32& shared, std::span<const unsigned char> share, std::span<const unsigned char> recipient) {
    std::array<unsigned char, 64> salt;
    std::copy(share.begin(), share.end(), salt.begin());
    std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
    key32 key;
    hkdf_sha256(shared.view(), salt, x25519_label, std::span(key.data(), key.size()));
    return key;
}

key32 scrypt_wrap_key(const secret_bytes& passphrase, std::span<const unsigned char> salt, int log_n) {
    std::vector<unsigned char> full_salt(scrypt_label.begin(), scrypt_label.end());
    full_salt.insert(full_salt.end(), salt.begin(), salt.end());
    key32 key;
    if (crypto_pwhash_scryptsalsa208sha256_ll(passphrase.data(), passphrase.size(), full_salt.data(), full_salt.size(),
                                              std::uint64_t{1} << log_n, 8, 1, key.data(), key.size()) != 0)
        throw limit_error({"scrypt", std::nullopt}, "scrypt could not run (out of memory?)");
    return key;
}

stanza wrap_x25519(const file_key& fk, const std::array<unsigned char, 32>& recipient, const std::string& name) {
    key32 ephemeral;
    randombytes_buf(ephemeral.data(), ephemeral.size());
    std::array<unsigned char, 32> share;
    crypto_scalarmult_base(share.data(), ephemeral.data());
    key32 shared;
    if (crypto_scalarmult(shared.data(), ephemeral.data(), recipient.data()) != 0)
        throw unsupported_error({name, std::nullopt}, "an age recipient is a low-order point: refused");
    stanza s;
    s.args = {"X25519", base64_encode(share)};
    aead_seal(x25519_wrap_key(shared, share, recipient), fk, s.body);
    return s;
}

stanza wrap_scrypt(const file_key& fk, const age::encryption& keys, const std::string& name) {
    if (keys.work_factor < 1 || keys.work_factor > 30)
        throw unsupported_error({name, std::nullopt}, "scrypt work factor " + std::to_string(keys.work_factor) + " is outside 1..30");
    std::array<unsigned char, 16> salt;
    randombytes_buf(salt.data(), salt.size());
    stanza s;
    s.args = {"scrypt", base64_encode(salt), std::to_string(keys.work_factor)};
    aead_seal(scrypt_wrap_key(secret_bytes(keys.passphrase), salt, keys.work_factor), fk, s.body);
    return s;
}

[[noreturn]] void bad_stanza(const std::string& name, const std::string& what) {
    throw format_error({name, std::nullopt}, "malformed age header: " + what);
}

std::optional<file_key> open_scrypt(const age_header& h, const age::decryption& keys, const std::string& name) {
    if (h.stanzas.size() != 1) bad_stanza(name, "a scrypt stanza must be the only stanza");
    const stanza& s = h.stanzas.front();
    if (s.args.size() != 3) bad_stanza(name, "a scrypt stanza has exactly a salt and a work factor");
    const auto salt = base64_decode(s.args[1]);
    if (!salt || salt->size() != 16) bad_stanza(name, "a scrypt salt of 16 bytes in canonical base64");
    const std::string& wf = s.args[2];
    if (wf.empty() || wf.size() > 2 || wf[0] < '1' || wf[0] > '9' ||
        !std::all_of(wf.begin(), wf.end(), [](char c) { return c >= '0' && c <= '9'; }))
        bad_stanza(name, "a scrypt work factor of 1 to 2 digits without leading zeros, got \"" + wf + "\"");
    const int log_n = std::stoi(wf);
    if (s.body.size() != 32) bad_stanza(name, "a scrypt stanza body of 32 bytes");
    if (keys.passphrase.empty())
        throw decryption_error({name, std::nullopt}, "the file is encrypted with a passphrase; none was given");
    if (log_n > keys.max_work_factor)
        throw limit_error({name, std::nullopt}, "scrypt work factor 2^" + wf + " exceeds the cap 2^" +
                                                    std::to_string(keys.max_work_factor) + " (decryption.max_work_factor)");
    file_key fk;
    if (!aead_open(scrypt_wrap_key(secret_bytes(keys.passphrase), *salt, log_n), s.body, fk)) return std::nullopt;
    return fk;
}

std::optional<file_key> open_x25519(const age_header& h, const std::vector<key32>& identities, const std::string& name) {
    for (const stanza& s : h.stanzas) {
        if (s.args.empty() || s.args[0] != "X25519") continue;  // other recipient types are not ours
        if (s.args.size() != 2) bad_stanza(name, "an X25519 stanza has exactly one argument");
        const auto share = base64_decode(s.args[1]);
        if (!share || share->size() != 32) bad_stanza(name, "an X25519 share of 32 bytes in canonical base64");
        if (s.body.size() != 32) bad_stanza(name, "an X25519 stanza body of 32 bytes");
        for (const key32& identity : identities) {
            key32 shared;
            if (crypto_scalarmult(shared.data(), identity.data(), share->data()) != 0)
                bad_stanza(name, "an X25519 share that is not a low-order point");
            std::array<unsigned char, 32> ours;
            crypto_scalarmult_base(ours.data(), identity.data());
            file_key fk;
            if (aead_open(x25519_wrap_key(shared, *share, ours), s.body, fk)) return fk;
        }
    }
    return std::nullopt;
}

}  // namespace

sealed_header seal_header(const age::encryption& keys, const std::string& name) {
    require_sodium();
    if (keys.empty()) throw unsupported_error({name, std::nullopt}, "age encryption needs recipients or a passphrase");
    if (!keys.passphrase.empty() && !keys.recipients.empty())
        throw unsupported_error({name, std::nullopt}, "age allows a passphrase only as the sole recipient");
    sealed_header out;
    randombytes_buf(out.key.data(), out.key.size());
    std::vector<stanza> stanzas;
    if (!keys.passphrase.empty()) stanzas.push_back(wrap_scrypt(out.key, keys, name));
    for (const auto& r : keys.recipients) stanzas.push_back(wrap_x25519(out.key, parse_recipient(trim(r), name), name));
    out.text = format_age_header(stanzas);
    key32 mac_key;
    hkdf_sha256(out.key.view(), {}, "header", std::span(mac_key.data(), mac_key.size()));
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac;
    crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(out.text.data()), out.text.size(),
                           mac_key.data());
    out.text += " " + base64_encode(mac) + "\n";
    return out;
}

file_key open_header(const age_header& h, std::span<const std::byte> header_bytes, const age::decryption& keys,
                     const std::string& name) {
    require_sodium();
    const bool scrypt = std::any_of(h.stanzas.begin(), h.stanzas.end(),
                                    [](const stanza& s) { return !s.args.empty() && s.args[0] == "scrypt"; });
    std::optional<file_key> fk;
    if (scrypt) {
        fk = open_scrypt(h, keys, name);
        if (!fk) throw decryption_error({name, std::nullopt}, "wrong passphrase: the scrypt stanza does not open");
    } else {
        const auto identities = collect_identities(keys);
        if (identities.empty())
            throw decryption_error({name, std::nullopt}, keys.passphrase.empty()
                                                              ? "the file is encrypted with age; no identity was given"
                                                              : "the file is encrypted to recipients, not a passphrase; give an identity");
        fk = open_x25519(h, identities, name);
        if (!fk)
            throw decryption_error({name, std::nullopt}, "none of the " + std::to_string(identities.size()) +
                                                              " identities opens any of the file's " +
                                                              std::to_string(h.stanzas.size()) + " stanzas (wrong key?)");
    }
    key32 mac_key;
    hkdf_sha256(fk->view(), {}, "header", std::span(mac_key.data(), mac_key.size()));
    if (crypto_auth_hmacsha256_verify(h.mac.data(), reinterpret_cast<const unsigned char*>(header_bytes.data()),
                                      h.mac_input_size, mac_key.data()) != 0)
        throw corrupt_error({name, h.mac_input_size - 3}, "age header MAC mismatch: the header was altered");
    return *fk;
}

}  // namespace crypto

namespace age {

std::string generate_identity() {
    crypto::require_sodium();
    crypto::key32 key;
    randombytes_buf(key.data(), key.size());
    std::string text = crypto::bech32_encode(crypto::identity_hrp, key.view());
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string recipient_of(std::string_view identity) {
    crypto::require_sodium();
    const auto key = crypto::parse_identity(crypto::trim(identity), "identity");
    std::array<unsigned char, 32> pub;
    crypto_scalarmult_base(pub.data(), key.data());
    return crypto::bech32_encode(crypto::recipient_hrp, pub);
}

std::string identity_file_text(std::string_view identity) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return "# created: " + std::string(stamp) + "\n# public key: " + recipient_of(identity) + "\n" +
           std::string(identity) + "\n";
}

std::vector<std::string> read_identity_file(const std::filesystem::path& file) {
    std::string text = crypto::read_text_file(file);
    auto lines = crypto::key_lines(text);
    crypto::wipe(text);
    for (std::size_t i = 0; i < lines.size(); ++i) (void)crypto::parse_identity(lines[i], file.string());
    return lines;
}

std::vector<std::string> read_recipients_file(const std::filesystem::path& file) {
    auto lines = crypto::key_lines(crypto::read_text_file(file));
    for (const auto& l : lines) (void)crypto::parse_recipient(l, file.string());
    return lines;
}

}  // namespace age
}  // namespace brine
