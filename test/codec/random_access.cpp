// Random access through a file's block index (codec::make_indexed_access;
// codec::make_random_access falls back to decoding from the start): the right bytes from any offset, files without a usable index left to
// sequential decoding, and broken indexes or blocks giving nullptr or a
// brine::error, never a crash.
#include "helpers.hpp"

#include "codec/backend.hpp"
#include "codec/seekable.hpp"

#include <brine/io/file.hpp>

#include <lzma.h>

using namespace brine;
using namespace brine::test;

namespace {

// `access` gives exactly `data` from each of `offsets`.
void check_reads(const io::random_access& access, const bytes& data, std::initializer_list<std::uint64_t> offsets,
                 std::size_t length = 100000) {
    CHECK(access.size() == data.size());
    for (std::uint64_t offset : offsets) {
        CAPTURE(offset);
        auto source = access.open_at(offset);
        bytes got(std::min<std::size_t>(length, data.size() - offset));
        CHECK(source->read(got) == got.size());
        CHECK(std::equal(got.begin(), got.end(), data.begin() + static_cast<std::ptrdiff_t>(offset)));
    }
}

// Everything from `offset` to the end, through random access.
bytes read_rest(const io::random_access& access, std::uint64_t offset) {
    auto source = access.open_at(offset);
    bytes out, chunk(70001);
    while (const std::size_t n = source->read(chunk)) out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    return out;
}

std::optional<codec::block_index> read_index(codec_id id, const std::filesystem::path& file) {
    io::file_source source(file);
    return codec::backend_for(id)->read_index(
        source.size(), [&](std::uint64_t offset, std::span<std::byte> dst) { source.read_at(offset, dst); });
}

void run(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

}  // namespace

TEST_CASE("random access through the block index of gzip, zstd, lz4 and xz files") {
    fresh_dir dir;
    const bytes data = mixed_data((1 << 20) + 4321, 61);
    for (codec_id id : {codec_id::gzip, codec_id::zstd, codec_id::lz4, codec_id::xz}) {
        CAPTURE(info(id).name);
        write_file(dir / "f", encode(id, data, 2, 64 << 10));
        auto access = codec::make_indexed_access(id, dir / "f");
        REQUIRE(access);
        check_reads(*access, data,
                    {0, 1, 65535, 65536, 65537, 700001, data.size() - 65536, data.size() - 3, data.size() - 1});
        CHECK(read_rest(*access, 300000) == bytes(data.begin() + 300000, data.end()));
    }
    // Files without a brine index: no indexed access; make_random_access
    // decodes them from the start, with the same bytes at every offset.
    write_file(dir / "plain", encode(codec_id::bz2, data, 1));
    CHECK_FALSE(codec::make_indexed_access(codec_id::bz2, dir / "plain"));
    auto sequential = codec::make_random_access(codec_id::bz2, dir / "plain", {1});
    REQUIRE(sequential);
    CHECK(sequential->size() == data.size());
    check_reads(*sequential, data, {0, 65537, data.size() - 1});
}

TEST_CASE("xz: the block index is xz's own index, one entry per block") {
    fresh_dir dir;
    const bytes data = mixed_data((1 << 20) + 4321, 62);
    write_file(dir / "f.xz", encode(codec_id::xz, data, 1, 64 << 10));
    const auto index = read_index(codec_id::xz, dir / "f.xz");
    REQUIRE(index);
    CHECK(index->raw_size == data.size());
    CHECK(index->check == LZMA_CHECK_CRC64);
    REQUIRE(index->blocks.size() == 17);
    CHECK(index->blocks[0].compressed_offset == LZMA_STREAM_HEADER_SIZE);
    for (std::size_t i = 0; i < index->blocks.size(); ++i) CHECK(index->blocks[i].raw_offset == i * (64 << 10));

    // A stream without blocks (an empty dump) has nothing to seek in.
    write_file(dir / "empty.xz", encode(codec_id::xz, {}, 1));
    CHECK_FALSE(codec::make_indexed_access(codec_id::xz, dir / "empty.xz"));
}

TEST_CASE("xz files other tools made: seekable when they are one indexed stream, else sequential") {
    if (!have_command("xz")) return;
    fresh_dir dir;
    const bytes a = mixed_data((3 << 20) + 17, 63), b = mixed_data(54321, 64);
    write_file(dir / "a", a);
    write_file(dir / "b", b);
    const std::string in_a = "'" + (dir / "a").string() + "'", in_b = "'" + (dir / "b").string() + "'";

    // One block (xz's single-threaded default) and xz -T's many blocks: both
    // one stream with an index, both fine to seek into.
    for (const std::string options : {"", "-T2 --block-size=256KiB"}) {
        CAPTURE(options);
        run("xz " + options + " -c " + in_a + " > '" + (dir / "cli.xz").string() + "'");
        auto access = codec::make_indexed_access(codec_id::xz, dir / "cli.xz");
        REQUIRE(access);
        check_reads(*access, a, {0, 5, 262144, 262145, 2000000, a.size() - 1});
    }
    // Other check types: a block's check size follows from the stream's.
    for (const std::string check : {"none", "crc32", "sha256"}) {
        CAPTURE(check);
        run("xz -T2 --block-size=1MiB --check=" + check + " -c " + in_a + " > '" + (dir / "check.xz").string() + "'");
        auto access = codec::make_indexed_access(codec_id::xz, dir / "check.xz");
        REQUIRE(access);
        check_reads(*access, a, {0, (1 << 20) + 7, a.size() - 1000});
    }

    // Two streams, and a stream followed by stream padding: no index that
    // describes the whole file, so nullptr, and sequential decoding reads all.
    bytes both = a;
    both.insert(both.end(), b.begin(), b.end());
    run("xz -c " + in_a + " > '" + (dir / "two.xz").string() + "' && xz -c " + in_b + " >> '" + (dir / "two.xz").string() + "'");
    CHECK_FALSE(read_index(codec_id::xz, dir / "two.xz"));
    CHECK_FALSE(codec::make_indexed_access(codec_id::xz, dir / "two.xz"));
    CHECK(decode(codec_id::xz, read_file(dir / "two.xz")) == both);

    bytes padded = encode(codec_id::xz, a, 1, 1 << 20);
    padded.insert(padded.end(), 8, std::byte{0});
    write_file(dir / "padded.xz", padded);
    CHECK_FALSE(codec::make_indexed_access(codec_id::xz, dir / "padded.xz"));
    CHECK(decode(codec_id::xz, padded) == a);
}

TEST_CASE("xz: a broken footer, index or file gives no index; a broken block gives a brine::error") {
    fresh_dir dir;
    const bytes data = mixed_data(600 << 10, 65);
    const bytes good = encode(codec_id::xz, data, 1, 64 << 10);
    write_file(dir / "good.xz", good);
    const auto index = read_index(codec_id::xz, dir / "good.xz");
    REQUIRE(index);
    REQUIRE(index->blocks.size() == 10);
    auto no_index = [&](const bytes& file) {
        write_file(dir / "bad.xz", file);
        CHECK_FALSE(read_index(codec_id::xz, dir / "bad.xz"));
        CHECK_FALSE(codec::make_indexed_access(codec_id::xz, dir / "bad.xz"));
    };

    SUBCASE("every byte of the index and the footer flipped") {
        lzma_stream_flags footer{};
        REQUIRE(lzma_stream_footer_decode(&footer, reinterpret_cast<const std::uint8_t*>(good.data() + good.size() -
                                                                                         LZMA_STREAM_HEADER_SIZE)) == LZMA_OK);
        for (std::size_t at = good.size() - LZMA_STREAM_HEADER_SIZE - footer.backward_size; at < good.size(); ++at) {
            CAPTURE(at);
            bytes bad = good;
            bad[at] ^= std::byte{0x10};
            no_index(bad);
        }
    }
    SUBCASE("a footer claiming an index larger than the file") {
        for (std::uint64_t backward : {std::uint64_t{good.size()}, std::uint64_t{1} << 34}) {
            CAPTURE(backward);
            lzma_stream_flags flags{};
            flags.check = LZMA_CHECK_CRC64;
            flags.backward_size = backward;
            bytes bad = good;
            REQUIRE(lzma_stream_footer_encode(&flags, reinterpret_cast<std::uint8_t*>(bad.data() + bad.size() -
                                                                                        LZMA_STREAM_HEADER_SIZE)) == LZMA_OK);
            no_index(bad);
        }
    }
    SUBCASE("a header whose flags differ from the footer's") {
        lzma_stream_flags flags{};
        flags.check = LZMA_CHECK_CRC32;
        bytes bad = good;
        REQUIRE(lzma_stream_header_encode(&flags, reinterpret_cast<std::uint8_t*>(bad.data())) == LZMA_OK);
        no_index(bad);
    }
    SUBCASE("truncated, or with bytes in front") {
        for (std::size_t cut : {1, 4, 12, 100, 5000}) no_index(bytes(good.begin(), good.end() - static_cast<std::ptrdiff_t>(cut)));
        bytes shifted(4, std::byte{0});
        shifted.insert(shifted.end(), good.begin(), good.end());
        no_index(shifted);
    }
    SUBCASE("a block's data, check or header corrupted") {
        // Block 3's data, the CRC64 at the end of block 5, block 7's header.
        const std::uint64_t data_at = index->blocks[3].compressed_offset + 2000;
        const std::uint64_t check_at = index->blocks[6].compressed_offset - 3;
        const std::uint64_t header_at = index->blocks[7].compressed_offset + 3;
        for (const auto& place : {std::pair{data_at, 3}, std::pair{check_at, 5}, std::pair{header_at, 7}}) {
            // Not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
            const auto at = place.first;
            const auto block = place.second;
            CAPTURE(at);
            bytes bad = good;
            bad[at] ^= std::byte{0x01};
            write_file(dir / "bad.xz", bad);
            auto access = codec::make_indexed_access(codec_id::xz, dir / "bad.xz");
            REQUIRE(access);  // the index itself is intact
            // Blocks before and after the broken one still read, up to its start.
            const std::uint64_t start = static_cast<std::uint64_t>(block) * (64 << 10);
            check_reads(*access, data, {0, start - 1000, start + (64 << 10) + 5}, 1000);
            check_reads(*access, data, {start - 65536}, 65536);
            try {
                read_rest(*access, static_cast<std::uint64_t>(block) * (64 << 10));
                FAIL("no error");
            } catch (const corrupt_error& e) {
                const std::string message = e.what();
                CAPTURE(message);
                CHECK(e.file() == (dir / "bad.xz").string());
                REQUIRE(e.offset().has_value());
                // The offset is the file's, inside or just after the block.
                CHECK(*e.offset() >= index->blocks[static_cast<std::size_t>(block)].compressed_offset);
                CHECK(*e.offset() <= index->blocks[static_cast<std::size_t>(block) + 1].compressed_offset);
                CHECK(message.find("xz: ") != std::string::npos);
            }
        }
    }
    SUBCASE("blocks cut short where the index says they end") {
        // The file ends inside block 4: reading it is a truncated_error.
        auto access = codec::make_indexed_access(codec_id::xz, dir / "good.xz");
        REQUIRE(access);
        bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(index->blocks[4].compressed_offset + 100));
        write_file(dir / "good.xz", cut);  // the index was read before the cut
        CHECK_THROWS_AS(read_rest(*access, 4 * (64 << 10)), truncated_error);
    }
}
