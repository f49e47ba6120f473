#include "store/spill_value_io.hpp"

#include "codec/factory.hpp"
#include "format/constants.hpp"
#include "format/hasher.hpp"

#include <brine/error.hpp>
#include <brine/io/buffer.hpp>
#include <brine/io/memory.hpp>
#include <brine/store/spill_store.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

namespace brine {

namespace {

// Passes on only the bytes of the stream in [begin, end): the record writer
// always writes a whole file, the store keeps its root record.
class window_sink final : public io::sink {
public:
    window_sink(io::sink* next, std::uint64_t begin) : next_(next), begin_(begin) {}
    void set_end(std::uint64_t end) noexcept { end_ = end; }
    void write(std::span<const std::byte> bytes) override {
        const auto from = pos_, to = pos_ + bytes.size();
        pos_ = to;
        const auto a = std::max(from, begin_), b = std::min(to, end_);
        if (a < b) {
            if (next_) next_->write(bytes.subspan(static_cast<std::size_t>(a - from), static_cast<std::size_t>(b - a)));
            passed_ += b - a;
        }
    }
    void finish() override {
        if (next_) next_->finish();
    }
    std::string name() const override { return next_ ? next_->name() : "<weight>"; }
    std::uint64_t passed() const noexcept { return passed_; }

private:
    io::sink* next_;
    std::uint64_t begin_, end_ = ~std::uint64_t{0}, pos_ = 0, passed_ = 0;
};

}  // namespace

std::uint64_t serialized_weight(const std::function<void(format::writer&)>& save) {
    window_sink counter(nullptr, format::v1::header_size);
    format::writer w(counter);
    save(w);
    return w.offset() - format::v1::header_size;
}

namespace store {

namespace {

// Writes into a segment from an offset on (segment_file gathers small
// writes), hashing and counting what it writes, within a byte budget.
class segment_sink final : public io::sink {
public:
    segment_sink(segment_file& f, std::uint64_t offset, std::uint64_t budget) : file_(f), pos_(offset), budget_(budget) {}
    void write(std::span<const std::byte> bytes) override {
        if (bytes.size() > budget_ - std::min(budget_, count_))
            throw capacity_error({file_.name(), pos_},
                                 "disk_limit reached: the spilled value needs more than the " + std::to_string(budget_) +
                                     " bytes left under spill_options::disk_limit");
        count_ += bytes.size();
        hash_.update(bytes.data(), bytes.size());
        file_.write_at(pos_, bytes);
        pos_ += bytes.size();
    }
    void finish() override {}
    std::string name() const override { return file_.name(); }
    std::uint64_t count() const noexcept { return count_; }
    std::uint64_t digest() const { return hash_.digest(); }

private:
    segment_file& file_;
    std::uint64_t pos_, budget_, count_ = 0;
    format::hasher hash_;
};

}  // namespace

written_value write_value(segment_file& file, std::uint64_t offset, const std::function<void(format::writer&)>& save,
                          codec_id codec, int level, const filter_list& filters, std::uint64_t budget) {
    segment_sink out(file, offset, budget);
    // writer -> window -> codec -> filters -> segment
    std::vector<std::unique_ptr<io::sink>> chain;
    io::sink* top = &out;
    for (auto it = filters.rbegin(); it != filters.rend(); ++it) {
        chain.push_back((*it)->encode(*top));
        top = chain.back().get();
    }
    if (codec != codec_id::none) {
        chain.push_back(codec::make_encoding_sink(*top, {codec, level, 1, 0}));
        top = chain.back().get();
    }
    window_sink window(top, format::v1::header_size);
    format::writer w(window);
    save(w);
    window.set_end(w.offset());
    w.finish();
    return {out.count(), window.passed(), out.digest()};
}

namespace {

void check_filters(const segment_file& file, const record_view& v, const filter_list& filters, const std::string& what) {
    std::uint8_t known = 0;
    for (const auto& f : filters) known |= f->bit();
    if (v.header.filters & ~known)
        throw unsupported_error({file.name(), v.value_offset},
                                "the stored value of " + what + " is encrypted (age); open the store with spill_options::encryption");
}

// The stored bytes of record `v` (a mapping when `mapped`, checked
// otherwise) through the filters and the codec into `load`.
std::shared_ptr<const void> decode_value(const segment_file& file, const record_view& v, io::mapped_bytes bytes, bool mapped,
                                         const filter_list& filters, const value_loader& load, const std::string& what) {
    const auto& h = v.header;
    if (!mapped && XXH3_64bits(bytes.bytes.data(), bytes.bytes.size()) != h.value_hash)
        throw corrupt_error({file.name(), v.value_offset},
                            "checksum mismatch in the stored value of " + what + " (" + std::to_string(h.value_length) + " bytes)");
    io::memory_source stored(bytes, file.name());
    std::vector<std::unique_ptr<io::source>> chain;
    io::source* top = &stored;
    for (const auto& f : filters) {
        if (!(h.filters & f->bit())) continue;
        chain.push_back(f->decode(*top));
        top = chain.back().get();
    }
    if (h.codec != codec_id::none) {
        chain.push_back(codec::make_decoding_source(h.codec, *top, {1}));
        top = chain.back().get();
    }
    load_options o;
    o.mmap = mapped ? mmap_mode::copy_on_write : mmap_mode::none;
    o.threads = 1;
    o.max_bytes = h.raw_length;
    format::reader r(*top, o, {format::v1::header_size, what});
    auto value = load(r);
    if (r.offset() != format::v1::header_size + h.raw_length)
        throw corrupt_error({file.name(), v.value_offset},
                            "the stored value of " + what + " ends at byte " + std::to_string(r.offset() - format::v1::header_size) +
                                " of its record, whose header says " + std::to_string(h.raw_length));
    return value;
}

}  // namespace

read_record read_record_value(const segment_file& file, std::uint64_t offset, std::uint64_t length, std::string_view key,
                              const filter_list& filters, const value_loader& load, const std::string& what) {
    if (length >= map_threshold) {
        const auto r = read_record_header(file, offset, length, key);
        check_filters(file, r, filters, what);
        const auto& h = r.header;
        const bool mappable = h.codec == codec_id::none && h.filters == 0 && h.value_length >= map_threshold &&
                              r.value_offset % value_alignment == 0;
        if (mappable) return {decode_value(file, r, file.map(r.value_offset, h.value_length), true, filters, load, what), h};
        auto b = io::buffer::allocate(static_cast<std::size_t>(h.value_length));
        file.read_at(r.value_offset, b.bytes());
        return {decode_value(file, r, {b.owner(), b.bytes(), true, false}, false, filters, load, what), h};
    }
    // Small: the whole record in one read, then its parts from memory.
    auto b = io::buffer::allocate(static_cast<std::size_t>(length));
    file.read_at(offset, b.bytes());
    const auto r = expect_record(file, b.bytes(), offset, length, key);
    check_filters(file, r, filters, what);
    const auto value_bytes = b.bytes().subspan(static_cast<std::size_t>(r.value_offset - offset), static_cast<std::size_t>(r.header.value_length));
    return {decode_value(file, r, {b.owner(), value_bytes, true, false}, false, filters, load, what), r.header};
}

}  // namespace store
}  // namespace brine
