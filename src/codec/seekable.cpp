// Random access into compressed files that brine wrote, through the codec's
// block index (backend::read_index): open_at(offset) seeks the file to the
// block holding `offset` and decodes from there, so reading one entry of a
// large file decodes only the blocks it spans (plus the rest of its block).
// Where blocks are whole streams (gzip, zstd, lz4) the ordinary decoder starts
// at one; xz's blocks sit inside one stream and need the codec's block decoder.
// The compressed bytes come from a file, or from any random access (the
// plaintext of an encrypted file).
#include "codec/seekable.hpp"

#include "codec/backend.hpp"

#include <brine/error.hpp>
#include <brine/io/file.hpp>

#include <algorithm>
#include <functional>
#include <iterator>

namespace brine::codec {
namespace {

using compressed_opener = std::function<std::unique_ptr<io::source>(std::uint64_t offset)>;

// The compressed input at a block boundary, decoded from there on.
class source_at_block final : public io::source {
public:
    source_at_block(const compressed_opener& open, codec_id id, const block_index& index, std::uint64_t compressed_offset)
        : in_(open(compressed_offset)) {
        decoder_ = make_block_decoding_source(id, *in_, compressed_offset, index);
    }
    std::size_t read(std::span<std::byte> dst) override { return decoder_->read(dst); }
    std::string name() const override { return in_->name(); }

private:
    std::unique_ptr<io::source> in_;
    std::unique_ptr<io::source> decoder_;
};

class indexed_access final : public io::random_access {
public:
    indexed_access(compressed_opener open, std::string name, codec_id id, block_index index)
        : open_(std::move(open)), name_(std::move(name)), id_(id), index_(std::move(index)) {}

    std::uint64_t size() const override { return index_.raw_size; }

    std::unique_ptr<io::source> open_at(std::uint64_t offset) const override {
        // The last block starting at or before `offset` (the first starts at 0).
        const auto after = std::upper_bound(index_.blocks.begin(), index_.blocks.end(), offset,
                                            [](std::uint64_t o, const block_position& b) { return o < b.raw_offset; });
        const auto block = std::prev(after);
        auto source = std::make_unique<source_at_block>(open_, id_, index_, block->compressed_offset);
        source->skip(offset - block->raw_offset);
        return source;
    }

    std::string name() const override { return name_; }

private:
    compressed_opener open_;
    std::string name_;
    codec_id id_;
    block_index index_;
};

std::unique_ptr<io::random_access> indexed(codec_id id, compressed_opener open, std::string name, std::uint64_t size,
                                           const std::function<void(std::uint64_t, std::span<std::byte>)>& read_at) {
    const backend* codec = backend_for(id);
    if (!codec || !codec->read_index) return nullptr;
    auto index = codec->read_index(size, read_at);
    if (!index || index->blocks.empty() || index->blocks.front().raw_offset != 0) return nullptr;
    return std::make_unique<indexed_access>(std::move(open), std::move(name), id, std::move(*index));
}

// A single compressed stream without a block index: decode from the start.
class sequential_access final : public io::random_access {
public:
    sequential_access(std::shared_ptr<const io::random_access> compressed, codec_id id, unsigned threads)
        : compressed_(std::move(compressed)), id_(id), threads_(threads) {
        size_ = open_at(0)->skip(UINT64_MAX);  // one pass to learn the uncompressed size
    }
    std::uint64_t size() const override { return size_; }
    std::unique_ptr<io::source> open_at(std::uint64_t offset) const override {
        auto chain = std::make_unique<decoded>(compressed_->open_at(0), id_, threads_);
        if (chain->decoder->skip(offset) != offset)
            throw truncated_error({name(), offset}, "compressed stream ends before the entry");
        return chain;
    }
    std::string name() const override { return compressed_->name(); }

private:
    struct decoded final : io::source {
        std::unique_ptr<io::source> in;
        std::unique_ptr<io::source> decoder;
        decoded(std::unique_ptr<io::source> s, codec_id id, unsigned threads)
            : in(std::move(s)), decoder(make_decoding_source(id, *in, {threads})) {}
        std::size_t read(std::span<std::byte> dst) override { return decoder->read(dst); }
        std::uint64_t skip(std::uint64_t n) override { return decoder->skip(n); }
        std::string name() const override { return in->name(); }
    };
    std::shared_ptr<const io::random_access> compressed_;
    codec_id id_;
    unsigned threads_;
    std::uint64_t size_ = 0;
};

}  // namespace

std::unique_ptr<io::random_access> make_indexed_access(codec_id id, const std::filesystem::path& file) {
    io::file_source source(file);
    auto open = [file](std::uint64_t offset) {
        auto s = std::make_unique<io::file_source>(file);
        s->seek(offset);
        return std::unique_ptr<io::source>(std::move(s));
    };
    return indexed(id, open, file.string(), source.size(),
                   [&](std::uint64_t offset, std::span<std::byte> dst) { source.read_at(offset, dst); });
}

std::unique_ptr<io::random_access> make_random_access(codec_id id, const std::filesystem::path& file,
                                                      const decoder_settings& settings) {
    if (auto access = make_indexed_access(id, file)) return access;
    return std::make_unique<sequential_access>(io::file_access(file), id, settings.threads);
}

std::unique_ptr<io::random_access> make_random_access(codec_id id, std::shared_ptr<const io::random_access> compressed,
                                                      const decoder_settings& settings) {
    auto open = [compressed](std::uint64_t offset) { return compressed->open_at(offset); };
    auto read_at = [&](std::uint64_t offset, std::span<std::byte> dst) {
        if (compressed->open_at(offset)->read(dst) != dst.size())
            throw truncated_error({compressed->name(), offset}, "the input ends inside the codec's block index");
    };
    if (auto access = indexed(id, open, compressed->name(), compressed->size(), read_at)) return access;
    return std::make_unique<sequential_access>(std::move(compressed), id, settings.threads);
}

}  // namespace brine::codec
