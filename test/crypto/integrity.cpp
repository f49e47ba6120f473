// Every way an age file can fail gets its own brine::error, naming the
// chunk where one is involved, and no plaintext of a chunk leaves the
// source before its tag verifies.
#include "helpers.hpp"

#include "crypto/age_header.hpp"

#include <brine/brine.hpp>

#include <chrono>

using namespace brine;
using namespace brine::test;

namespace {

constexpr std::size_t chunk = 64 << 10, sealed_chunk = chunk + 16;

struct fixture {
    std::string identity = age::generate_identity();
    age::decryption keys{.identities = {identity}, .threads = 2};
    bytes plain;
    bytes sealed;
    std::size_t payload = 0;  // offset of chunk 0
    explicit fixture(std::size_t size) : plain(mixed_data(size, 9)) {
        sealed = age_encrypt(plain, {.recipients = {age::recipient_of(identity)}});
        const auto h = crypto::parse_age_header(sealed, "<test>");
        REQUIRE(h);
        payload = h->size + 16;
    }
};

template <class Error>
std::string failure(std::span<const std::byte> sealed, const age::decryption& keys) {
    try {
        (void)age_decrypt(sealed, keys);
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("no " << typeid(Error).name() << " was thrown");
    return {};
}

}  // namespace

TEST_CASE("wrong or missing keys are decryption errors") {
    fixture f(1000);
    CHECK(failure<decryption_error>(f.sealed, {.identities = {age::generate_identity()}}).find("wrong key") != std::string::npos);
    CHECK(failure<decryption_error>(f.sealed, {}).find("no identity") != std::string::npos);
    CHECK(failure<decryption_error>(f.sealed, {.passphrase = "x"}).find("give an identity") != std::string::npos);
    const auto by_passphrase = age_encrypt(f.plain, {.passphrase = "right", .work_factor = test_work_factor});
    CHECK(failure<decryption_error>(by_passphrase, {.passphrase = "wrong"}).find("wrong passphrase") != std::string::npos);
    CHECK(failure<decryption_error>(by_passphrase, {.identities = {f.identity}}).find("passphrase") != std::string::npos);
    CHECK(age_decrypt(by_passphrase, {.passphrase = "right"}) == f.plain);
}

TEST_CASE("an altered header fails its MAC") {
    fixture f(1000);
    // A stanza of a type no identity knows: ignored by unwrapping, caught by the MAC.
    const std::string text(reinterpret_cast<const char*>(f.sealed.data()), f.sealed.size());
    const auto at = text.find("\n---") + 1;
    bytes altered(f.sealed.begin(), f.sealed.begin() + static_cast<std::ptrdiff_t>(at));
    for (char c : std::string("-> example.com/other x\n\n")) altered.push_back(std::byte(c));
    altered.insert(altered.end(), f.sealed.begin() + static_cast<std::ptrdiff_t>(at), f.sealed.end());
    CHECK(failure<corrupt_error>(altered, f.keys).find("header MAC mismatch") != std::string::npos);
    // The MAC itself changed.
    bytes bad_mac = f.sealed;
    bad_mac[f.payload - 16 - 2] ^= std::byte{0x01};
    CHECK_THROWS_AS(age_decrypt(bad_mac, f.keys), brine::error);
}

TEST_CASE("tampered, reordered, truncated and appended chunks name the chunk") {
    fixture f(3 * chunk + 100);  // chunks 0, 1, 2 full, chunk 3 final with 100 bytes
    SUBCASE("a flipped bit") {
        bytes t = f.sealed;
        t[f.payload + sealed_chunk + 77] ^= std::byte{0x20};
        CHECK(failure<corrupt_error>(t, f.keys).find("chunk 1 fails authentication") != std::string::npos);
    }
    SUBCASE("two chunks swapped") {
        bytes t = f.sealed;
        std::swap_ranges(t.begin() + static_cast<std::ptrdiff_t>(f.payload),
                         t.begin() + static_cast<std::ptrdiff_t>(f.payload + sealed_chunk),
                         t.begin() + static_cast<std::ptrdiff_t>(f.payload + sealed_chunk));
        CHECK(failure<corrupt_error>(t, f.keys).find("chunk 0 fails authentication") != std::string::npos);
    }
    SUBCASE("cut inside the last chunk") {
        bytes t(f.sealed.begin(), f.sealed.end() - 5);
        CHECK(failure<corrupt_error>(t, f.keys).find("chunk 3 fails authentication") != std::string::npos);
        bytes tiny(f.sealed.begin(), f.sealed.begin() + static_cast<std::ptrdiff_t>(f.payload + 3 * sealed_chunk + 7));
        CHECK(failure<truncated_error>(tiny, f.keys).find("chunk 3 is cut short") != std::string::npos);
    }
    SUBCASE("cut at a chunk boundary") {
        bytes t(f.sealed.begin(), f.sealed.begin() + static_cast<std::ptrdiff_t>(f.payload + 2 * sealed_chunk));
        CHECK(failure<truncated_error>(t, f.keys).find("ends after age payload chunk 1, which is not the final chunk") !=
              std::string::npos);
        bytes no_chunk(f.sealed.begin(), f.sealed.begin() + static_cast<std::ptrdiff_t>(f.payload));
        CHECK(failure<truncated_error>(no_chunk, f.keys).find("no chunk") != std::string::npos);
        bytes no_nonce(f.sealed.begin(), f.sealed.begin() + static_cast<std::ptrdiff_t>(f.payload - 3));
        CHECK(failure<truncated_error>(no_nonce, f.keys).find("nonce") != std::string::npos);
    }
    SUBCASE("data appended after the final chunk") {
        fixture whole(2 * chunk);  // the final chunk is full
        bytes t = whole.sealed;
        t.insert(t.end(), 40, std::byte{0});
        CHECK(failure<corrupt_error>(t, whole.keys).find("chunk 1 is the final chunk, but data follows") != std::string::npos);
        bytes u = f.sealed;
        u.push_back(std::byte{1});
        CHECK(failure<corrupt_error>(u, f.keys).find("chunk 3") != std::string::npos);
    }
}

TEST_CASE("no byte of a chunk is returned before its tag verifies") {
    fixture f(chunk + 10);
    bytes t = f.sealed;
    t[f.payload + 5] ^= std::byte{1};  // chunk 0's ciphertext
    for (unsigned threads : {1u, 2u}) {
        io::memory_source in(t);
        auto dec = age::decrypting_source(in, {.identities = {f.identity}, .threads = threads});
        std::vector<std::byte> one(1, std::byte{0x55});
        CHECK_THROWS_AS(dec->read(one), corrupt_error);
        CHECK(one[0] == std::byte{0x55});
    }
}

TEST_CASE("the scrypt work factor is capped before any work is done") {
    const bytes plain = mixed_data(100, 1);
    auto sealed = age_encrypt(plain, {.passphrase = "p", .work_factor = test_work_factor});
    std::string text(reinterpret_cast<const char*>(sealed.data()), sealed.size());
    const auto at = text.find(" 10\n");
    REQUIRE(at != std::string::npos);
    sealed[at + 1] = std::byte{'3'};  // 2^30: 1 TiB of scrypt memory
    const auto start = std::chrono::steady_clock::now();
    CHECK(failure<limit_error>(sealed, {.passphrase = "p"}).find("exceeds the cap") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    sealed[at + 1] = std::byte{'0'};  // "00": a leading zero
    CHECK_THROWS_AS(age_decrypt(sealed, {.passphrase = "p"}), format_error);
}

TEST_CASE("malformed headers are format errors with an offset") {
    const auto identity = age::generate_identity();
    const age::decryption keys{.identities = {identity}};
    auto bad = [&](std::string header) {
        bytes b;
        for (char c : header) b.push_back(std::byte(c));
        CAPTURE(header);
        CHECK_THROWS_AS(age_decrypt(b, keys), format_error);
    };
    bad("age-encryption.org/v1\n--- AAAA\n");
    bad("age-encryption.org/v1\n-> X25519\n\n--- 0000000000000000000000000000000000000000000\n");
    bad("age-encryption.org/v1\n->  X25519 a\n\n--- 0000000000000000000000000000000000000000000\n");
    bad("age-encryption.org/v1\n-> X25519 AAAA\n!!!\n--- 0000000000000000000000000000000000000000000\n");
    bad("age-encryption.org/v1\nhello\n");
    bad("age-encryption.org/v1\n-> X25519 AAAA\nAAAA\n--- 0000000000000000000000000000000000000000000\n");
    bad("age-encryption.org/v1\n-> X25519 AAAA");  // truncated
    bytes v2;
    for (char c : std::string("age-encryption.org/v2\n")) v2.push_back(std::byte(c));
    CHECK_THROWS_AS(age_decrypt(v2, keys), unsupported_error);
}
