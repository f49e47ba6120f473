// Hostile and broken input: every failure is a brine error that names the
// input, the offset and what was expected; nothing crashes or over-allocates.
#include "helpers.hpp"

#include "codec/deflate_engine.hpp"

#include <brine/error.hpp>

using namespace brine;
using namespace brine::test;

namespace {

// Decodes, returning the error message; fails the test if no brine::error came.
template <class Error>
std::string decode_error(codec_id id, bytes packed, unsigned threads) {
    try {
        decode(id, std::move(packed), threads);
    } catch (const Error& e) {
        CHECK(e.file() == "<memory>");
        CHECK(e.offset().has_value());
        return e.what();
    } catch (const brine::error& e) {
        FAIL("wrong error type: " << std::string(e.what()));
    }
    FAIL("no error");
    return {};
}

}  // namespace

TEST_CASE("truncated input is a truncated_error at every cut") {
    const bytes data = mixed_data(400 << 10, 41);
    for (codec_id id : all_codecs()) {
        const bytes packed = encode(id, data, 2, 64 << 10);
        for (double fraction : {0.0, 0.3, 0.9}) {
            for (unsigned threads : {1u, 2u}) {
                CAPTURE(info(id).name);
                CAPTURE(fraction);
                CAPTURE(threads);
                const auto cut = static_cast<std::size_t>(fraction * static_cast<double>(packed.size()));
                const std::string message =
                    decode_error<truncated_error>(id, bytes(packed.begin(), packed.begin() + cut), threads);
                CHECK(message.find(info(id).name) != std::string::npos);
                CHECK(message.find("expected") != std::string::npos);
            }
        }
    }
}

TEST_CASE("trailing garbage after the last stream is a corrupt_error") {
    const bytes data = mixed_data(100 << 10, 42);
    for (codec_id id : all_codecs()) {
        bytes packed = encode(id, data, 2, 64 << 10);
        for (char c : std::string("garbage!")) packed.push_back(std::byte(c));
        for (unsigned threads : {1u, 2u}) {
            CAPTURE(info(id).name);
            CAPTURE(threads);
            const std::string message = decode_error<corrupt_error>(id, packed, threads);
            CHECK(message.find("expected") != std::string::npos);
        }
    }
}

TEST_CASE("flipped bytes are a corrupt_error (or, where a codec has no check, at least no crash)") {
    const bytes data = mixed_data(300 << 10, 43);
    for (codec_id id : all_codecs()) {
        const bytes packed = encode(id, data, 2, 64 << 10);
        // Not the last bytes: zstd's and lz4's seek table is a skippable frame, which decoders skip.
        for (std::size_t at : {packed.size() / 4, packed.size() / 3, packed.size() / 2}) {
            for (unsigned threads : {1u, 2u}) {
                CAPTURE(info(id).name);
                CAPTURE(at);
                bytes broken = packed;
                broken[at] ^= std::byte{0x55};
                try {
                    const bytes back = decode(id, broken, threads);
                    // Only lzma-alone has no checksum; everything else must notice.
                    CHECK(id == codec_id::lzma);
                } catch (const corrupt_error&) {
                } catch (const truncated_error&) {  // a damaged size field can make a stream look short
                }
            }
        }
    }
}

TEST_CASE("empty input and wrong magic") {
    for (codec_id id : all_codecs()) {
        CAPTURE(info(id).name);
        decode_error<truncated_error>(id, {}, 1);
        bytes text(100, std::byte{'x'});
        const std::string message = decode_error<corrupt_error>(id, text, 2);
        CHECK(message.find("magic") != std::string::npos);
    }
}

TEST_CASE("error messages name the stream and the offset") {
    bytes packed = encode(codec_id::gzip, mixed_data(300 << 10, 44), 1, 64 << 10);
    packed.resize(packed.size() - 3);
    const std::string message = decode_error<truncated_error>(codec_id::gzip, packed, 1);
    CHECK(message.find("gzip member 5") != std::string::npos);
}

TEST_CASE("a gzip member claiming a huge size is decoded by streaming, not trusted") {
    bytes packed = encode(codec_id::gzip, mixed_data(100 << 10, 45), 1, 64 << 10);
    // The raw size in brine's extra field (offset 20) now claims 4 GiB - 1,
    // with a matching header CRC: a forged header, not a damaged one.
    for (int i = 20; i < 24; ++i) packed[i] = std::byte{0xff};
    const auto crc = codec::deflate::crc32(std::span(packed).first(24));
    packed[24] = std::byte(crc & 0xff);
    packed[25] = std::byte(crc >> 8 & 0xff);
    CHECK(decode(codec_id::gzip, packed, 2) == mixed_data(100 << 10, 45));
}

TEST_CASE("a zstd frame needing a window beyond the cap is refused") {
    // Frame header: magic, descriptor 0 (window descriptor present, no checksum),
    // window descriptor 0xF8 = 2^41 bytes.
    bytes frame = {std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f}, std::byte{0xfd}, std::byte{0x00},
                   std::byte{0xf8}, std::byte{0x01}, std::byte{0x00}, std::byte{0x00}};
    decode_error<corrupt_error>(codec_id::zstd, frame, 1);
    decode_error<corrupt_error>(codec_id::zstd, frame, 2);
}
