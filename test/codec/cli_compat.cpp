// The real command-line tools read what brine writes, and brine reads what
// they write (single streams, their multi-threaded output, concatenations).
#include "helpers.hpp"

#include <cstdlib>

using namespace brine;
using namespace brine::test;

namespace {

struct cli {
    codec_id id;
    std::string tool;        // what must be installed
    std::string decompress;  // reads %in, writes %out
    std::string compress;
};

// python3's zlib module stands in for "any zlib inflater"; pigz -z is another.
const std::string py_zlib = "python3 -c \"import sys,zlib; d=open(sys.argv[1],'rb').read(); ";

const cli clis[] = {
    {codec_id::zlib, "python3", py_zlib + "open(sys.argv[2],'wb').write(zlib.decompress(d))\" %in %out",
     py_zlib + "open(sys.argv[2],'wb').write(zlib.compress(d, 6))\" %in %out"},
    {codec_id::gzip, "gzip", "gzip -dc %in > %out", "gzip -c %in > %out"},
    {codec_id::bz2, "bzip2", "bzip2 -dc %in > %out", "bzip2 -c %in > %out"},
    {codec_id::lzma, "xz", "xz --format=lzma -dc %in > %out", "xz --format=lzma -c %in > %out"},
    {codec_id::xz, "xz", "xz -dc %in > %out", "xz -c %in > %out"},
    {codec_id::lz4, "lz4", "lz4 -dc %in > %out", "lz4 -c %in > %out"},
    {codec_id::zstd, "zstd", "zstd -q -dc %in > %out", "zstd -q -c %in > %out"},
};

std::string fill(std::string command, const std::filesystem::path& in, const std::filesystem::path& out) {
    auto replace = [&](const std::string& key, const std::string& value) {
        for (auto p = command.find(key); p != std::string::npos; p = command.find(key)) command.replace(p, key.size(), value);
    };
    replace("%in", "'" + in.string() + "'");
    replace("%out", "'" + out.string() + "'");
    return command;
}

void run(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

}  // namespace

TEST_CASE("the codec CLIs decompress what brine writes") {
    fresh_dir dir;
    const bytes data = mixed_data((3 << 20) + 777, 11);
    for (const cli& c : clis) {
        if (!have_command(c.tool)) {
            MESSAGE(c.tool << " not installed: skipped");
            continue;
        }
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, data.size()}) {
            CAPTURE(info(c.id).name);
            CAPTURE(size);
            const auto raw = std::span(data).first(size);
            write_file(dir / "packed", encode(c.id, raw, 2, 256 << 10));
            run(fill(c.decompress, dir / "packed", dir / "unpacked"));
            CHECK(read_file(dir / "unpacked") == bytes(raw.begin(), raw.end()));
        }
    }
}

TEST_CASE("brine decompresses what the codec CLIs write, serially and with threads") {
    fresh_dir dir;
    const bytes data = mixed_data((2 << 20) + 99, 12);
    write_file(dir / "raw", data);
    for (const cli& c : clis) {
        if (!have_command(c.tool)) continue;
        CAPTURE(info(c.id).name);
        run(fill(c.compress, dir / "raw", dir / "packed"));
        const bytes packed = read_file(dir / "packed");
        CHECK(codec_from_magic(packed) == c.id);
        CHECK(decode(c.id, packed, 1) == data);
        CHECK(decode(c.id, packed, 2) == data);
    }
}

TEST_CASE("multi-threaded CLI output and concatenations decode") {
    fresh_dir dir;
    const bytes a = mixed_data(3 << 20, 21), b = mixed_data(12345, 22);
    bytes both = a;
    both.insert(both.end(), b.begin(), b.end());
    write_file(dir / "a", a);
    write_file(dir / "b", b);
    struct variant { codec_id id; std::string tool, command; };
    const variant variants[] = {
        {codec_id::gzip, "gzip", "gzip -c %in > %out && gzip -c %in2 >> %out"},
        {codec_id::gzip, "pigz", "pigz -p 2 -b 128 -c %in > %out && pigz -c %in2 >> %out"},
        {codec_id::zlib, "pigz", "cat %in %in2 | pigz -z -p 2 -b 128 > %out"},
        {codec_id::bz2, "bzip2", "bzip2 -c %in > %out && bzip2 -c %in2 >> %out"},
        {codec_id::xz, "xz", "cat %in %in2 | xz -T2 --block-size=1MiB -c > %out"},
        {codec_id::xz, "xz", "xz -c %in > %out && xz -c %in2 >> %out"},
        {codec_id::zstd, "zstd", "zstd -q -c %in > %out && zstd -q -c %in2 >> %out"},
        {codec_id::zstd, "zstd", "cat %in %in2 | zstd -q -T2 -c > %out"},
        {codec_id::lz4, "lz4", "lz4 -c %in > %out && lz4 -c %in2 >> %out"},
    };
    for (const variant& v : variants) {
        if (!have_command(v.tool)) continue;
        CAPTURE(v.command);
        std::string command = v.command;  // %in2 first: fill() would take its "%in"
        for (auto p = command.find("%in2"); p != std::string::npos; p = command.find("%in2"))
            command.replace(p, 4, "'" + (dir / "b").string() + "'");
        command = fill(command, dir / "a", dir / "packed");
        run(command);
        const bytes packed = read_file(dir / "packed");
        CHECK(decode(v.id, packed, 1) == both);
        CHECK(decode(v.id, packed, 2) == both);
    }
}

TEST_CASE("brine's block index is visible to the tools that know it") {
    fresh_dir dir;
    const bytes data = mixed_data(3 << 20, 31);
    if (have_command("xz")) {
        write_file(dir / "f.xz", encode(codec_id::xz, data, 2, 1 << 20));
        // xz -l lists the native index: 3 blocks in one stream.
        run("xz -l --robot '" + (dir / "f.xz").string() + "' | grep -q '^totals[[:space:]]*1[[:space:]]*3'");
    }
}
