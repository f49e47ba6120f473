// Every codec, every size class, serial and parallel, both ways.
#include "helpers.hpp"

using namespace brine;
using namespace brine::test;

TEST_CASE("every codec round-trips sizes around its block size, with 1 and 3 threads") {
    const std::uint64_t block = 64 << 10;  // small blocks: many of them, cheaply
    const bytes data = mixed_data(5 * block + 12345);
    for (codec_id id : all_codecs()) {
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{block - 1}, std::size_t{block},
                                 std::size_t{block + 1}, data.size()}) {
            const auto raw = std::span(data).first(size);
            for (unsigned threads : {1u, 3u}) {
                CAPTURE(info(id).name);
                CAPTURE(size);
                CAPTURE(threads);
                const bytes packed = encode(id, raw, threads, block);
                CHECK(codec_from_magic(packed) == id);
                // Decoding with several threads uses the splitter where the codec has one.
                for (unsigned decode_threads : {1u, 2u}) {
                    const bytes back = decode(id, packed, decode_threads);
                    REQUIRE(back.size() == raw.size());
                    CHECK(std::equal(back.begin(), back.end(), raw.begin()));
                }
            }
        }
    }
}

TEST_CASE("parallel and serial compression give the same bytes for independent-block codecs") {
    const bytes data = mixed_data(3 << 20, 7);
    for (codec_id id : all_codecs()) {
        CAPTURE(info(id).name);
        CHECK(encode(id, data, 1, 256 << 10) == encode(id, data, 4, 256 << 10));
    }
}

TEST_CASE("default block sizes and every level round-trip") {
    const bytes data = mixed_data(1 << 20, 3);
    for (codec_id id : all_codecs()) {
        const auto& ci = info(id);
        for (int level : {ci.min_level, ci.default_level, ci.max_level}) {
            if (id == codec_id::xz || id == codec_id::lzma || id == codec_id::zstd)
                if (level > 12) continue;  // slow and memory hungry; covered by the CLI's own tests
            CAPTURE(ci.name);
            CAPTURE(level);
            CHECK(decode(id, encode(id, data, 2, 0, level), 2) == data);
        }
    }
}

TEST_CASE("codec none passes bytes through") {
    const bytes data = mixed_data(1000);
    CHECK(encode(codec_id::none, data) == data);
    CHECK(decode(codec_id::none, data) == data);
}

TEST_CASE("levels outside the codec's range are refused") {
    io::memory_sink sink;
    CHECK_THROWS_AS(codec::make_encoding_sink(sink, {codec_id::gzip, 10, 1, 0}), unsupported_error);
    CHECK_THROWS_AS(codec::make_encoding_sink(sink, {codec_id::bz2, 0, 1, 0}), unsupported_error);
}
