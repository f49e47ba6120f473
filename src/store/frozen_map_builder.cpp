// Writes a frozen map: the header, then each entry as it is added (key
// record, value record), then, in finish(), the index built from the sorted
// (hash, offset) pairs, the superseded list and the trailer.
#include "format/layout.hpp"
#include "store/frozen_map_layout.hpp"
#include "store/frozen_map_sorter.hpp"

#include <brine/error.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/file.hpp>
#include <brine/io/memory.hpp>
#include <brine/store/frozen_map.hpp>

#include <zstd.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace brine {

namespace {

namespace L = store::layout;

// Counts the bytes going to the file and hashes the current section.
class section_sink final : public io::sink {
public:
    explicit section_sink(io::atomic_file_sink& out) : out_(out) {}
    void write(std::span<const std::byte> bytes) override {
        hash_.update(bytes.data(), bytes.size());
        out_.write(bytes);
        offset_ += bytes.size();
    }
    void finish() override {}
    std::string name() const override { return out_.name(); }
    std::uint64_t offset() const noexcept { return offset_; }
    // Ends the current section: its hash, and a fresh one for the next.
    std::uint64_t next_section() {
        const auto h = hash_.digest();
        hash_.reset();
        return h;
    }

private:
    io::atomic_file_sink& out_;
    format::hasher hash_;
    std::uint64_t offset_ = 0;
};

// A memory sink that can be emptied for the next value.
class value_buffer final : public io::sink {
public:
    void write(std::span<const std::byte> bytes) override { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }
    void finish() override {}
    std::string name() const override { return "<value buffer>"; }
    std::vector<std::byte>& bytes() noexcept { return bytes_; }

private:
    std::vector<std::byte> bytes_;
};

std::filesystem::path directory_of(const std::filesystem::path& p) {
    auto dir = p.parent_path();
    return dir.empty() ? std::filesystem::path(".") : dir;
}

}  // namespace

struct frozen_map_builder::impl {
    std::string name;
    frozen_map_options options;
    io::atomic_file_sink file;
    section_sink out{file};
    store::frozen_map_sorter sorter;
    format::writer direct{out, format::writer::fragments};
    value_buffer buffer;  // compress_above > 0: the current value, to decide
    std::optional<format::writer> buffered;
    std::vector<std::byte> key_record;  // of the current value, after its flags byte
    std::uint64_t entry_offset = 0, added = 0;
    bool in_value = false, broken = false, finished = false;

    impl(const std::filesystem::path& target, const frozen_map_options& o)
        : name(target.string()), options(o), file(target, o.durable),
          sorter(o.temp_dir.empty() ? directory_of(target) : o.temp_dir, o.memory_limit, target.string()) {
        if (options.compress_above) buffered.emplace(buffer, format::writer::fragments);
        const auto h = L::encode_header();
        out.write(h);
        out.next_section();  // the data hash starts after the header
    }

    [[noreturn]] void misuse(const std::string& what) const {
        throw error({name, std::nullopt}, "frozen_map_builder: " + what);
    }

    // key_record[0] is the entry's flags byte, then the key record.
    void write_entry_head(std::uint8_t flags) {
        key_record[0] = std::byte{flags};
        out.write(key_record);
    }

    // The buffered value: compressed when large enough (and allowed), else raw.
    void flush_buffered() {
        auto& raw = buffer.bytes();
        const bool has_arrays = std::ranges::any_of(buffered->contents().entries(),
                                                    [](const auto& e) { return e.kind == node_kind::array; });
        if (raw.size() >= options.compress_above && (options.compress_arrays || !has_arrays)) {
            std::vector<std::byte> packed(ZSTD_compressBound(raw.size()));
            const auto n = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), options.level);
            if (ZSTD_isError(n)) misuse(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
            if (n < raw.size()) {
                write_entry_head(L::entry_compressed);
                std::byte head[1 + 2 * format::v1::max_varint_bytes];
                head[0] = raw[0];  // the value's tag, so its kind is known without decoding
                auto len = 1 + format::put_varint(head + 1, raw.size());
                len += format::put_varint(head + len, n);
                out.write({head, len});
                out.write({packed.data(), n});
                raw.clear();
                return;
            }
        }
        write_entry_head(0);
        out.write(raw);
        raw.clear();
    }
};

frozen_map_builder::frozen_map_builder(const std::filesystem::path& file, const frozen_map_options& options)
    : impl_(std::make_unique<impl>(file, options)) {}
frozen_map_builder::~frozen_map_builder() = default;

std::uint64_t frozen_map_builder::added() const noexcept { return impl_->added; }

format::writer& frozen_map_builder::begin_value(const frozen_key& key) {
    auto& d = *impl_;
    if (d.finished) d.misuse("add() after finish()");
    if (d.broken || d.in_value) {
        d.broken = true;
        d.misuse("a previous value failed half-way; the map cannot be finished");
    }
    d.in_value = true;
    d.broken = true;  // until end_value()
    d.entry_offset = d.out.offset();
    std::byte head[12];
    head[0] = std::byte{0};  // flags, set when the entry is written
    const auto n = 1 + L::encode_key_head(key, head + 1);
    d.key_record.assign(head, head + n);
    const auto* data = reinterpret_cast<const std::byte*>(key.data().data());
    d.key_record.insert(d.key_record.end(), data, data + key.data().size());
    d.sorter.add({L::key_hash(key), d.entry_offset});
    // The value's stream offset if it is stored raw: arrays are padded for it.
    const auto value_offset = d.entry_offset + d.key_record.size();
    if (d.buffered) {
        d.buffered->start_fragment(value_offset);
        return *d.buffered;
    }
    d.write_entry_head(0);
    d.direct.start_fragment(value_offset);
    return d.direct;
}

void frozen_map_builder::end_value() {
    auto& d = *impl_;
    if (!d.in_value) d.misuse("end_value() without begin_value()");
    if (d.buffered) {
        d.buffered->end_fragment();
        d.flush_buffered();
    } else {
        d.direct.end_fragment();
    }
    d.in_value = false;
    d.broken = false;
    ++d.added;
}

void frozen_map_builder::finish() {
    auto& d = *impl_;
    if (d.finished) return;
    if (d.broken || d.in_value) d.misuse("finish() after a value failed half-way");
    d.finished = true;

    L::trailer t;
    t.data_end = d.out.offset();
    t.data_hash = d.out.next_section();
    static constexpr std::byte zeros[L::alignment] = {};
    d.out.write({zeros, static_cast<std::size_t>(L::align_up(t.data_end) - t.data_end)});
    d.out.next_section();
    t.index_offset = d.out.offset();
    const auto n = d.sorter.count();
    t.home_slots = n == 0 ? 0 : std::max<std::uint64_t>(1, static_cast<std::uint64_t>(
                                                                (static_cast<L::uint128>(n) * L::home_slots_per_100_keys + 99) / 100));

    // Keys with equal hashes are read back from the file to compare them.
    d.file.flush();
    std::optional<io::file_source> written;
    auto read_key = [&](std::uint64_t offset) {
        if (!written) written.emplace(d.file.temporary_path());
        const auto limit = t.data_end - offset - 1;  // the key record lies within the data
        std::vector<std::byte> rec(static_cast<std::size_t>(std::min<std::uint64_t>(11, limit)));
        written->read_at(offset + 1, rec);
        if (!rec.empty() && rec[0] != std::byte{L::tag_scalar}) {
            const auto len = format::get_varint(rec.data() + 1, rec.data() + rec.size());
            if (len.length && len.length != format::varint_malformed && len.value <= limit - 1 - len.length) {
                rec.resize(1 + len.length + static_cast<std::size_t>(len.value));
                written->read_at(offset + 1, rec);
            }
        }
        L::parsed_key k;
        if (const char* bad = L::parse_key(rec.data(), rec.data() + rec.size(), k))
            throw corrupt_error({d.name, offset + 1}, std::string("reading back the key: expected ") + bad);
        rec.resize(k.length);
        return rec;
    };

    std::vector<std::uint64_t> superseded;
    std::vector<std::byte> slots;
    slots.reserve(64 << 10);
    std::uint64_t next_slot = 0;
    auto flush_slots = [&] {
        d.out.write(slots);
        slots.clear();
    };
    auto put_slot = [&](std::uint64_t hash, std::uint64_t offset) {
        const auto at = slots.size();
        slots.resize(at + L::slot_size);
        L::store_u64(slots.data() + at, hash);
        L::store_u64(slots.data() + at + 8, offset);
        if (slots.size() >= (64 << 10)) flush_slots();
        ++next_slot;
    };
    auto emit = [&](const store::hashed_offset& p) {
        // Sorted by hash, so by home slot: each entry goes to the first free
        // slot at or after its home, and every slot in between is taken.
        const auto home = L::home_slot(p.hash, t.home_slots);
        while (next_slot < home) put_slot(0, 0);
        put_slot(p.hash, p.offset);
        ++t.entry_count;
    };
    std::vector<store::hashed_offset> group;  // equal hashes, by offset
    auto resolve = [&] {
        if (group.size() > 1) {
            std::vector<std::vector<std::byte>> keys;
            for (const auto& g : group) keys.push_back(read_key(g.offset));
            std::vector<bool> dead(group.size());
            for (std::size_t i = 0; i < group.size(); ++i)
                for (std::size_t j = i + 1; j < group.size() && !dead[i]; ++j) {
                    if (keys[i] != keys[j]) continue;
                    if (d.options.duplicates == duplicate_keys::error) {
                        L::parsed_key k;
                        L::parse_key(keys[i].data(), keys[i].data() + keys[i].size(), k);
                        throw error({d.name, group[j].offset}, "duplicate key " + k.view().describe() +
                                                                   " (added at entry offsets " + std::to_string(group[i].offset) +
                                                                   " and " + std::to_string(group[j].offset) + ")");
                    }
                    dead[i] = true;  // a later one with the same key wins
                }
            for (std::size_t i = 0; i < group.size(); ++i) {
                if (dead[i]) superseded.push_back(group[i].offset);
                else emit(group[i]);
            }
        } else if (!group.empty()) {
            emit(group[0]);
        }
        group.clear();
    };
    d.sorter.merge([&](const store::hashed_offset& p) {
        if (!group.empty() && group.front().hash != p.hash) resolve();
        group.push_back(p);
    });
    resolve();
    while (next_slot < t.home_slots) put_slot(0, 0);
    flush_slots();
    t.slot_count = next_slot;
    t.index_hash = d.out.next_section();

    std::sort(superseded.begin(), superseded.end());
    std::vector<std::byte> list(superseded.size() * 8);
    for (std::size_t i = 0; i < superseded.size(); ++i) L::store_u64(list.data() + 8 * i, superseded[i]);
    d.out.write(list);
    t.superseded_count = superseded.size();
    t.superseded_hash = d.out.next_section();
    d.out.write(t.encode());
    d.file.finish();
}

}  // namespace brine
