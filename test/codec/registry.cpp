#include "helpers.hpp"

using namespace brine;
using namespace brine::test;

TEST_CASE("the registry: names, extensions, defaults") {
    REQUIRE(codecs().size() == 8);
    for (std::size_t i = 0; i < codecs().size(); ++i) {
        CHECK(static_cast<std::size_t>(codecs()[i].id) == i);
        CHECK(codec_from_name(codecs()[i].name) == codecs()[i].id);
    }
    CHECK(codec_from_extension("model.brine.xz") == codec_id::xz);
    CHECK(codec_from_extension("a/b.c.zst") == codec_id::zstd);
    CHECK(codec_from_extension("x.gz") == codec_id::gzip);
    CHECK(codec_from_extension("x.z") == codec_id::zlib);
    CHECK(codec_from_extension("x.bz2") == codec_id::bz2);
    CHECK(codec_from_extension("x.lzma") == codec_id::lzma);
    CHECK(codec_from_extension("x.lz4") == codec_id::lz4);
    CHECK_FALSE(codec_from_extension("model.brine").has_value());
    CHECK_FALSE(codec_from_extension("noext").has_value());
    CHECK(info(codec_id::gzip).default_level == 3);
    CHECK(info(codec_id::zlib).default_level == 3);
    CHECK(info(codec_id::bz2).default_level == 3);
    CHECK(info(codec_id::xz).default_level == 3);
    CHECK(info(codec_id::lzma).default_level == 3);
    CHECK(info(codec_id::zstd).default_level == 3);
    CHECK(info(codec_id::lz4).default_level == 0);
    CHECK_FALSE(codec_from_name("snappy").has_value());
}

TEST_CASE("magic numbers") {
    auto magic = [](std::initializer_list<int> v) {
        bytes b;
        for (int x : v) b.push_back(std::byte(x));
        return codec_from_magic(b);
    };
    CHECK(magic({0x78, 0x9c, 0, 0, 0, 0}) == codec_id::zlib);
    CHECK(magic({0x78, 0x5e}) == codec_id::zlib);
    CHECK(magic({0x78, 0x00}) == codec_id::none);  // FCHECK fails
    CHECK(magic({0x1f, 0x8b, 8}) == codec_id::gzip);
    CHECK(magic({'B', 'Z', 'h', '9'}) == codec_id::bz2);
    CHECK(magic({'B', 'Z', 'h', 'x'}) == codec_id::none);
    CHECK(magic({0xfd, '7', 'z', 'X', 'Z', 0}) == codec_id::xz);
    CHECK(magic({0x5d, 0, 0, 0x40, 0, 0xff}) == codec_id::lzma);  // 4 MiB dictionary
    CHECK(magic({0x5d, 0, 0, 0x41, 0, 0xff}) == codec_id::none);  // not 2^n or 2^n + 2^(n-1)
    CHECK(magic({0x04, 0x22, 0x4d, 0x18}) == codec_id::lz4);
    CHECK(magic({0x28, 0xb5, 0x2f, 0xfd}) == codec_id::zstd);
    CHECK(magic({0x80, 0x04, 0x95}) == codec_id::none);  // a pickle
    CHECK(magic({}) == codec_id::none);
}
