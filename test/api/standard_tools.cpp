// Compressed brine files are standard files of their codec: the codec's own
// command-line tool turns them into the uncompressed brine file, and files
// compressed by those tools (one single stream) load too.
#include "sample.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace {

struct tool {
    std::string decompress;  // reads $IN, writes $OUT
    std::string compress;
};

const std::map<brine::codec_id, tool>& tools() {
    static const std::map<brine::codec_id, tool> t = {
        {brine::codec_id::zlib,
         {"python3 -c 'import sys,zlib; open(sys.argv[2],\"wb\").write(zlib.decompress(open(sys.argv[1],\"rb\").read()))' $IN $OUT",
          "python3 -c 'import sys,zlib; open(sys.argv[2],\"wb\").write(zlib.compress(open(sys.argv[1],\"rb\").read(), 6))' $IN $OUT"}},
        {brine::codec_id::gzip, {"gzip -dc < $IN > $OUT", "gzip -c < $IN > $OUT"}},
        {brine::codec_id::bz2, {"bzip2 -dc < $IN > $OUT", "bzip2 -c < $IN > $OUT"}},
        {brine::codec_id::lzma, {"xz --format=lzma -dc < $IN > $OUT", "xz --format=lzma -c < $IN > $OUT"}},
        {brine::codec_id::xz, {"xz -dc < $IN > $OUT", "xz -c < $IN > $OUT"}},
        {brine::codec_id::lz4, {"lz4 -dc < $IN > $OUT", "lz4 -c < $IN > $OUT"}},
        {brine::codec_id::zstd, {"zstd -q -dc < $IN > $OUT", "zstd -q -c < $IN > $OUT"}},
    };
    return t;
}

void run(std::string cmd, const std::filesystem::path& in, const std::filesystem::path& out) {
    for (auto [key, val] : {std::pair{"$IN", in}, std::pair{"$OUT", out}})
        for (auto p = cmd.find(key); p != std::string::npos; p = cmd.find(key)) cmd.replace(p, std::string_view(key).size(), "'" + val.string() + "'");
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
}

}  // namespace

TEST_CASE("the codec's own tool decompresses what brine wrote") {
    const auto original = brine::test::make_everything();
    // Enough data for several codec blocks.
    std::vector<xt::xtensor<double, 2>> big(3, xt::xtensor<double, 2>(xt::random::rand<double>({400, 1000})));
    for (const auto& by_codec : tools()) {  // no structured binding: CAPTURE is a lambda, clang 14 refuses it
        const auto id = by_codec.first;
        const auto& t = by_codec.second;
        CAPTURE(brine::info(id).name);
        const auto file = brine::test::scratch_root() / ("tool.brine" + std::string(brine::info(id).extension));
        const auto plain = brine::test::scratch_root() / "tool-plain.brine";
        brine::dump(std::pair(original, big), file, {.threads = 2, .block_size = 1 << 20});
        run(t.decompress, file, plain);
        const auto [e, b] = brine::load<std::pair<brine::test::everything, decltype(big)>>(plain);
        CHECK(e == original);
        CHECK(b == big);
    }
}

TEST_CASE("files compressed by the codec's own tool load") {
    const auto original = brine::test::make_everything();
    const auto plain = brine::test::scratch_root() / "for-tool.brine";
    brine::dump(original, plain);
    for (const auto& by_codec : tools()) {  // no structured binding: CAPTURE is a lambda, clang 14 refuses it
        const auto id = by_codec.first;
        const auto& t = by_codec.second;
        CAPTURE(brine::info(id).name);
        const auto file = brine::test::scratch_root() / "by-tool.bin";
        run(t.compress, plain, file);
        CHECK(brine::load<brine::test::everything>(file) == original);
    }
}
