// codec_ostream / codec_istream over std::stringstream.
#include "helpers.hpp"

#include <brine/codec_stream.hpp>
#include <brine/error.hpp>

#include <sstream>

using namespace brine;
using namespace brine::test;

namespace {

std::string to_string(std::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

std::string compress(codec_id id, const std::string& text, unsigned threads) {
    std::stringstream packed;
    {
        codec_ostream out(packed, id, std::nullopt, threads, 256 << 10);
        // Single characters, small and large writes all go through the same buffer.
        std::size_t pos = 0;
        if (!text.empty()) out.put(text[pos++]);
        while (pos < text.size()) {
            const std::size_t n = std::min<std::size_t>(text.size() - pos, pos % 2 ? 100 : 300'000);
            out.write(text.data() + pos, static_cast<std::streamsize>(n));
            pos += n;
        }
        out.finish();
    }
    return packed.str();
}

std::string decompress(const std::string& packed, std::optional<codec_id> id, unsigned threads) {
    std::istringstream in(packed);
    codec_istream unpacked(in, id, threads);
    std::string back;
    std::vector<char> chunk(77'777);
    // istream::read, so the brine::error in the streambuf reaches us (badbit is in exceptions()).
    while (unpacked.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || unpacked.gcount() > 0)
        back.append(chunk.data(), static_cast<std::size_t>(unpacked.gcount()));
    return back;
}

}  // namespace

TEST_CASE("codec streams round-trip 0 bytes, 1 byte, odd sizes") {
    const std::string data = to_string(mixed_data(1'000'003, 51));
    for (codec_id id : all_codecs()) {
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{(256 << 10) + 1}, data.size()}) {
            CAPTURE(info(id).name);
            CAPTURE(size);
            const std::string text = data.substr(0, size);
            const std::string packed = compress(id, text, 2);
            CHECK(decompress(packed, std::nullopt, 2) == text);  // detected from the magic
            CHECK(decompress(packed, id, 1) == text);
        }
    }
}

TEST_CASE("codec streams round-trip 64 MiB of mixed data") {
    const std::string data = to_string(mixed_data(64 << 20, 52));
    for (codec_id id : all_codecs()) {
        if (id == codec_id::bz2 || id == codec_id::lzma || id == codec_id::xz) continue;  // see the 8 MiB case
        CAPTURE(info(id).name);
        CHECK(decompress(compress(id, data, 2), std::nullopt, 2) == data);
    }
}

TEST_CASE("codec streams round-trip 8 MiB through the slow codecs") {
    const std::string data = to_string(mixed_data(8 << 20, 53));
    for (codec_id id : {codec_id::bz2, codec_id::lzma, codec_id::xz}) {
        CAPTURE(info(id).name);
        CHECK(decompress(compress(id, data, 2), std::nullopt, 2) == data);
    }
}

TEST_CASE("codec_ostream finishes in its destructor") {
    std::stringstream packed;
    { codec_ostream(packed, codec_id::gzip) << "hello"; }
    CHECK(decompress(packed.str(), std::nullopt, 1) == "hello");
}

TEST_CASE("codec_istream passes through input without a codec magic") {
    CHECK(decompress("plain bytes", std::nullopt, 1) == "plain bytes");
}

TEST_CASE("codec_istream reports corrupt input as a brine error") {
    std::string packed = compress(codec_id::zstd, to_string(mixed_data(100000, 54)), 1);
    packed.resize(packed.size() / 2);
    CHECK_THROWS_AS(decompress(packed, std::nullopt, 1), truncated_error);
}
