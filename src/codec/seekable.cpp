// Random access into compressed files that brine wrote, through the codec's
// block index (backend::read_index): open_at(offset) seeks the file to the
// block holding `offset` and decodes from there, so reading one entry of a
// large file decodes only the blocks it spans (plus the rest of its block).
// Where blocks are whole streams (gzip, zstd, lz4) the ordinary decoder starts
// at one; xz's blocks sit inside one stream and need the codec's block decoder.
#include "codec/seekable.hpp"

#include "codec/backend.hpp"

#include <brine/io/file.hpp>

#include <algorithm>
#include <iterator>

namespace brine::codec {
namespace {

// A file source at a block boundary, decoded from there on.
class source_at_block final : public io::source {
public:
    source_at_block(const std::filesystem::path& file, codec_id id, const block_index& index,
                    std::uint64_t compressed_offset)
        : file_(file) {
        file_.seek(compressed_offset);
        decoder_ = make_block_decoding_source(id, file_, compressed_offset, index);
    }
    std::size_t read(std::span<std::byte> dst) override { return decoder_->read(dst); }
    std::string name() const override { return file_.name(); }

private:
    io::file_source file_;
    std::unique_ptr<io::source> decoder_;
};

class indexed_access final : public io::random_access {
public:
    indexed_access(std::filesystem::path file, codec_id id, block_index index)
        : file_(std::move(file)), id_(id), index_(std::move(index)) {}

    std::uint64_t size() const override { return index_.raw_size; }

    std::unique_ptr<io::source> open_at(std::uint64_t offset) const override {
        // The last block starting at or before `offset` (the first starts at 0).
        const auto after = std::upper_bound(index_.blocks.begin(), index_.blocks.end(), offset,
                                            [](std::uint64_t o, const block_position& b) { return o < b.raw_offset; });
        const auto block = std::prev(after);
        auto source = std::make_unique<source_at_block>(file_, id_, index_, block->compressed_offset);
        source->skip(offset - block->raw_offset);
        return source;
    }

    std::string name() const override { return file_.string(); }

private:
    std::filesystem::path file_;
    codec_id id_;
    block_index index_;
};

}  // namespace

std::unique_ptr<io::random_access> make_random_access(codec_id id, const std::filesystem::path& file,
                                                      const decoder_settings&) {
    const backend* codec = backend_for(id);
    if (!codec || !codec->read_index) return nullptr;
    io::file_source source(file);
    auto index = codec->read_index(
        source.size(), [&](std::uint64_t offset, std::span<std::byte> dst) { source.read_at(offset, dst); });
    if (!index || index->blocks.empty() || index->blocks.front().raw_offset != 0) return nullptr;
    return std::make_unique<indexed_access>(file, id, std::move(*index));
}

}  // namespace brine::codec
