// bz2's parallel decoding: the splitter guesses where each stream ends (the
// next stream start), and a wrong guess must fall back to streaming, giving
// the same bytes, or the same error, as sequential decoding.
#include "helpers.hpp"

#include "codec/backend.hpp"
#include "codec/buffered_input.hpp"

using namespace brine;
using namespace brine::test;

namespace {

const bytes stream_start = {std::byte{'B'},  std::byte{'Z'},  std::byte{'h'},  std::byte{'9'},  std::byte{0x31},
                            std::byte{0x41}, std::byte{0x59}, std::byte{0x26}, std::byte{0x53}, std::byte{0x59}};

bytes concat(bytes a, std::span<const std::byte> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// What bz2_backend's splitter cuts out of `packed`, and what the input holds after.
struct cuts {
    std::vector<codec::split_block> blocks;
    std::uint64_t stopped_at = 0;
    bool at_end = false;
};

cuts cut(const bytes& packed) {
    io::memory_source source(packed);
    codec::buffered_input in(source);
    const auto splitter = codec::bz2_backend.make_splitter({.threads = 2});
    cuts result;
    while (auto block = splitter->next(in)) result.blocks.push_back(std::move(*block));
    result.stopped_at = in.offset();
    result.at_end = in.at_end();
    return result;
}

bool decodes_whole(std::span<const std::byte> compressed, bytes* raw = nullptr) {
    const auto splitter = codec::bz2_backend.make_splitter({.threads = 2});
    codec::bytes out;
    const bool whole = splitter->decode(compressed, out);
    if (raw) raw->insert(raw->end(), out.begin(), out.end());
    return whole;
}

// "ok", or the error's type and message: threads must not change either.
std::string outcome(const bytes& packed, unsigned threads) {
    try {
        decode(codec_id::bz2, packed, threads);
        return "ok";
    } catch (const truncated_error& e) {
        return std::string("truncated_error: ") + e.what();
    } catch (const corrupt_error& e) {
        return std::string("corrupt_error: ") + e.what();
    }
}

// Miscuts one block of bz2's splitter the way a false stream start would:
// halves it (the rest then looks like no stream, and is streamed) or
// merges it with the next one.
enum class miscut { halve, merge };

template <miscut how, int which>
class miscutting_splitter final : public codec::block_splitter {
public:
    std::optional<codec::split_block> next(codec::buffered_input& in) override {
        auto b = real_->next(in);
        if (!b || ++count_ != which) return b;
        if (how == miscut::halve) {
            const std::size_t half = b->compressed.size() / 2;
            in.unread(std::span(b->compressed).subspan(half));
            b->compressed.resize(half);
        } else if (auto second = real_->next(in)) {
            b->compressed.insert(b->compressed.end(), second->compressed.begin(), second->compressed.end());
        }
        return b;
    }
    bool decode(std::span<const std::byte> compressed, codec::bytes& out) const override {
        return real_->decode(compressed, out);
    }

private:
    std::unique_ptr<codec::block_splitter> real_ = codec::bz2_backend.make_splitter({.threads = 2});
    int count_ = 0;
};

template <miscut how, int which>
bytes decode_miscut(const bytes& packed) {
    codec::backend miscutting = codec::bz2_backend;
    miscutting.make_splitter = [](const codec::decoder_limits&) -> std::unique_ptr<codec::block_splitter> {
        return std::make_unique<miscutting_splitter<how, which>>();
    };
    io::memory_source source(packed);
    auto decoder = codec::make_decoding_source(miscutting, source, 2);
    bytes out, chunk(100'003);
    while (const std::size_t n = decoder->read(chunk)) out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    return out;
}

}  // namespace

TEST_CASE("bz2 files brine writes are cut into whole streams and decode in parallel") {
    const bytes data = mixed_data((1 << 20) + 12345, 61);
    for (int level : {1, 3, 9}) {
        CAPTURE(level);
        const bytes packed = encode(codec_id::bz2, data, 2, 64 << 10, level);
        const cuts c = cut(packed);
        CHECK(c.blocks.size() == data.size() / (64 << 10) + 1);
        CHECK(c.at_end);
        bytes raw;
        for (const auto& block : c.blocks) {
            CHECK_FALSE(block.raw_size.has_value());
            CHECK(decodes_whole(block.compressed, &raw));
        }
        CHECK(raw == data);
        CHECK(decode(codec_id::bz2, packed, 2) == data);
    }
    // An empty stream starts with the end-of-stream magic.
    const bytes empty = encode(codec_id::bz2, {}, 2);
    CHECK(cut(empty).blocks.size() == 1);
    CHECK(decodes_whole(empty));
}

TEST_CASE("a bz2 stream longer than the splitter's look-ahead is streamed from where it starts") {
    // Random bytes: the compressed stream is larger than the 16 MiB look-ahead.
    bytes data(17 << 20);
    std::mt19937_64 rng(62);
    for (auto& b : data) b = std::byte(rng() & 0xff);
    const bytes packed = encode(codec_id::bz2, data, 2, 32 << 20, 1);
    const cuts c = cut(packed);
    CHECK(c.blocks.empty());
    CHECK(c.stopped_at == 0);
    CHECK(decode(codec_id::bz2, packed, 2) == data);
    // After a stream brine wrote, likewise.
    const bytes small = mixed_data(100 << 10, 63);
    const bytes both = concat(encode(codec_id::bz2, small, 1), packed);
    CHECK(cut(both).blocks.size() == 1);
    CHECK(decode(codec_id::bz2, both, 2) == concat(small, data));
}

TEST_CASE("a guessed bz2 block is whole only if it is exactly one complete stream") {
    const bytes a = encode(codec_id::bz2, mixed_data(200 << 10, 64), 1);
    const bytes b = encode(codec_id::bz2, mixed_data(100 << 10, 65), 1);
    CHECK(decodes_whole(a));
    CHECK_FALSE(decodes_whole(std::span(a).first(a.size() / 2)));   // ends inside the stream
    CHECK_FALSE(decodes_whole(std::span(a).first(a.size() - 1)));   // inside the stream CRC
    CHECK_FALSE(decodes_whole(concat(a, b)));                         // more after the stream's end
    CHECK_FALSE(decodes_whole(concat(a, stream_start)));
    CHECK_FALSE(decodes_whole(concat(stream_start, bytes(1000, std::byte{0x55}))));  // a false start
    CHECK_FALSE(decodes_whole(std::span(a).subspan(a.size() / 2)));  // no start at all
}

TEST_CASE("a wrong bz2 cut falls back to streaming and still decodes") {
    const bytes data = mixed_data(1 << 20, 66);
    const bytes packed = encode(codec_id::bz2, data, 2, 64 << 10);
    CHECK(decode_miscut<miscut::halve, 1>(packed) == data);
    CHECK(decode_miscut<miscut::halve, 3>(packed) == data);
    CHECK(decode_miscut<miscut::merge, 1>(packed) == data);
    CHECK(decode_miscut<miscut::merge, 5>(packed) == data);
    CHECK(decode_miscut<miscut::halve, 16>(packed) == data);  // the last stream
}

TEST_CASE("bytes after a bz2 stream that look like a stream start give the sequential error") {
    const bytes packed = encode(codec_id::bz2, mixed_data(500 << 10, 67), 2, 64 << 10);
    for (const bytes& tail : {stream_start, concat(stream_start, bytes(5000, std::byte{0x55})),
                              bytes(std::span(packed).first(packed.size() / 3).begin(),
                                    std::span(packed).first(packed.size() / 3).end())}) {
        const bytes broken = concat(packed, tail);
        CAPTURE(tail.size());
        const std::string sequential = outcome(broken, 1);
        CHECK(sequential != "ok");
        CHECK(outcome(broken, 2) == sequential);
    }
}

TEST_CASE("damaged multi-stream bz2 files give the same error with and without threads") {
    const bytes packed = encode(codec_id::bz2, mixed_data(600 << 10, 68), 2, 64 << 10);
    std::mt19937 rng(69);
    for (int trial = 0; trial < 40; ++trial) {
        bytes broken = packed;
        const std::size_t at = rng() % packed.size();
        if (trial % 2 == 0)
            broken.resize(at);
        else
            broken[at] ^= std::byte(1 + rng() % 255);
        CAPTURE(trial);
        CAPTURE(at);
        const std::string sequential = outcome(broken, 1);
        CHECK(sequential != "ok");
        CHECK(outcome(broken, 2) == sequential);
    }
}
