// Shared by the codec tests: test data, in-memory encode/decode (files,
// directories and the codec list: ../common/files.hpp).
#pragma once

#include "../common/files.hpp"
#include "codec/factory.hpp"

#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/io/memory.hpp>

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace brine::test {

using bytes = std::vector<std::byte>;

// Text-like, random and constant runs mixed, so every codec sees both
// compressible and incompressible stretches.
inline bytes mixed_data(std::size_t size, std::uint64_t seed = 1) {
    bytes out(size);
    std::mt19937_64 rng(seed);
    static const char words[] = "brine stores whole trees of arrays and strings in one file ";
    std::size_t i = 0;
    while (i < size) {
        const std::size_t run = std::min<std::size_t>(size - i, 1 + rng() % 70000);
        const auto kind = rng() % 3;
        for (std::size_t k = 0; k < run; ++k, ++i)
            out[i] = kind == 0   ? std::byte(words[(i + seed) % (sizeof words - 1)])
                     : kind == 1 ? std::byte(rng() & 0xff)
                                 : std::byte(0x3f);
    }
    return out;
}

inline bytes encode(codec_id id, std::span<const std::byte> raw, unsigned threads = 1, std::uint64_t block_size = 0,
                    std::optional<int> level = std::nullopt) {
    io::memory_sink sink;
    auto encoder = codec::make_encoding_sink(sink, {id, level.value_or(info(id).default_level), threads, block_size});
    // Written in uneven pieces, as a serializer would.
    std::size_t pos = 0, piece = 1;
    while (pos < raw.size()) {
        const std::size_t n = std::min(piece, raw.size() - pos);
        encoder->write(raw.subspan(pos, n));
        pos += n;
        piece = piece * 3 + 7;
    }
    encoder->finish();
    REQUIRE(sink.finished());
    return std::move(sink).take();
}

inline bytes decode(codec_id id, bytes compressed, unsigned threads = 1) {
    io::memory_source source(std::move(compressed));
    auto decoder = codec::make_decoding_source(id, source, {threads});
    bytes out;
    bytes chunk(100'003);  // odd size: reads end in the middle of blocks
    while (const std::size_t n = decoder->read(chunk)) out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    return out;
}

inline bool have_command(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace brine::test
