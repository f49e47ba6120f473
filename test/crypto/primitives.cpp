// The hand-written pieces against their specifications' own test vectors:
// HKDF-SHA-256 (RFC 5869 appendix A), bech32 (BIP 173), canonical base64.
#include "crypto/base64.hpp"
#include "crypto/bech32.hpp"
#include "crypto/hkdf.hpp"

#include <brine/crypto/age.hpp>
#include <brine/error.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace brine;

namespace {

std::vector<unsigned char> hex(std::string_view h) {
    std::vector<unsigned char> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<unsigned char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

}  // namespace

TEST_CASE("HKDF-SHA-256 gives RFC 5869's test vectors") {
    const auto ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    std::vector<unsigned char> okm(42);
    SUBCASE("test case 1: salt and info") {
        const auto salt = hex("000102030405060708090a0b0c");
        const auto info = hex("f0f1f2f3f4f5f6f7f8f9");
        crypto::hkdf_sha256(ikm, salt, std::string(info.begin(), info.end()), okm);
        CHECK(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
    }
    SUBCASE("test case 3: no salt, no info") {
        crypto::hkdf_sha256(ikm, {}, "", okm);
        CHECK(okm == hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }
}

TEST_CASE("bech32 accepts BIP 173's valid strings and rejects its invalid ones") {
    for (const char* valid : {"A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                              "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"}) {
        CAPTURE(valid);
        CHECK(crypto::bech32_decode(valid));
    }
    for (const char* invalid : {"A1G7SGD8", "10a06t8", "1qzzfhee", "A12uEL5L", "x1b4n0q5v", "li1dgmt3", "pzry9x0s0muk"}) {
        CAPTURE(invalid);
        CHECK_FALSE(crypto::bech32_decode(invalid));
    }
    const std::vector<unsigned char> data{0, 1, 2, 250, 255, 17};
    const auto text = crypto::bech32_encode("age", data);
    const auto back = crypto::bech32_decode(text);
    REQUIRE(back);
    CHECK(back->hrp == "age");
    CHECK(back->data == data);
}

TEST_CASE("base64 in age headers is canonical and unpadded") {
    CHECK(crypto::base64_encode(hex("00ff10")) == "AP8Q");
    CHECK(crypto::base64_decode("AP8Q") == hex("00ff10"));
    CHECK(crypto::base64_decode("AP8") == hex("00ff"));
    CHECK_FALSE(crypto::base64_decode("AP9"));   // non-zero unused bits: not canonical
    CHECK_FALSE(crypto::base64_decode("AP8="));  // padding
    CHECK_FALSE(crypto::base64_decode("AP 8"));
}

TEST_CASE("identities and recipients: age's own example key") {
    // age.md's X25519 example identity and recipient.
    CHECK(age::recipient_of("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX") ==
          "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
    const auto key = age::generate_identity();
    CHECK(key.starts_with("AGE-SECRET-KEY-1"));
    CHECK(age::recipient_of(key).starts_with("age1"));
    CHECK(age::generate_identity() != key);
    CHECK_THROWS_AS(age::recipient_of("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"), brine::format_error);
}
